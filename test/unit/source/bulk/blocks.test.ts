import { describe, expect, it } from 'vitest';
import { BlockCutter, isChildLine, lastRootStart, type Block } from '../../../../src/source/bulk/blocks.js';

const order = (n: number): string => `{"id":"gid:\\/\\/shopify\\/Order\\/${n}","name":"#${n}"}`;
const item = (o: number, i: number): string => `{"id":"gid:\\/\\/shopify\\/LineItem\\/${o * 1000 + i}","q":${i},"__parentId":"gid:\\/\\/shopify\\/Order\\/${o}"}`;

function file(children: number[]): string[] {
  const out: string[] = [];
  children.forEach((count, n) => {
    out.push(order(n + 1));
    for (let i = 0; i < count; i++) out.push(item(n + 1, i));
  });
  return out;
}

/** Cuts `text` fed in `chunk`-byte pieces; returns each block's lines and first line number. */
function cut(text: string, blockBytes: number, chunk: number): Array<{ firstLine: number; lines: string[] }> {
  const cutter = new BlockCutter(blockBytes);
  const bytes = Buffer.from(text);
  const blocks: Block[] = [];
  for (let i = 0; i < bytes.length; i += chunk) blocks.push(...cutter.push(Buffer.from(bytes.subarray(i, i + chunk))));
  const rest = cutter.finish();
  if (rest) blocks.push(rest);
  return blocks.map((b) => {
    expect(b.bytes.at(-1)).toBe(0x0a);
    return { firstLine: b.firstLine, lines: b.bytes.toString('utf8').split('\n').slice(0, -1) };
  });
}

describe('block cutting', () => {
  it('recognises a child line only by the key itself, never by the same text inside a string value', () => {
    const child = Buffer.from(item(1, 0));
    expect(isChildLine(child, 0, child.length)).toBe(true);
    // In a value, the quotes are escaped: the raw text `"__parentId":"` cannot occur there.
    const value = JSON.stringify({ id: 'gid://shopify/Order/1', note: '"__parentId":"gid://shopify/Order/9"' });
    expect(value).toContain('__parentId');
    const root = Buffer.from(value);
    expect(isChildLine(root, 0, root.length)).toBe(false);
    // A key named like it in a nested object would be reassembly's business, not the cutter's: it is a root here only if not at top level.
    const nested = Buffer.from(JSON.stringify({ id: 'gid://shopify/Order/1', meta: { __parentId: 'x' } }));
    expect(isChildLine(nested, 0, nested.length)).toBe(true); // taken for a child: only makes a block longer
  });

  it('finds the last complete root line that can start a block', () => {
    const lines = [order(1), item(1, 0), order(2), item(2, 0), item(2, 1)];
    const buf = Buffer.from(`${lines.join('\n')}\n${order(3).slice(0, 10)}`);
    expect(lastRootStart(buf)).toBe(Buffer.byteLength(`${lines.slice(0, 2).join('\n')}\n`));
    expect(lastRootStart(Buffer.from(`${order(1)}\n${item(1, 0)}\n`))).toBe(-1);
    expect(lastRootStart(Buffer.from(`${order(1)}\n\n${item(1, 0)}\n`))).toBe(-1); // an empty line is no root
  });

  it('cuts only before root lines and keeps every line, in order, with the right line numbers', () => {
    const lines = file([3, 0, 5, 1, 2, 8, 0, 0, 4, 6, 1, 3]);
    for (const [blockBytes, chunk] of [[200, 37], [500, 7], [1, 1000], [64, 64]] as const) {
      const blocks = cut(`${lines.join('\n')}\n`, blockBytes, chunk);
      expect(blocks.length).toBeGreaterThan(1);
      expect(blocks.flatMap((b) => b.lines)).toEqual(lines);
      let expectedFirst = 1;
      for (const b of blocks) {
        expect(b.firstLine).toBe(expectedFirst);
        expect(b.lines[0]).not.toContain('__parentId'); // every block starts at a root
        expectedFirst += b.lines.length;
      }
    }
  });

  it('never splits a root from its children, however many blocks they span', () => {
    const lines = file([1, 400, 2]);
    const blocks = cut(`${lines.join('\n')}\n`, 256, 100);
    // The 400 children span many blocks' worth of bytes, yet all sit in one block, after their root.
    const holding = blocks.filter((b) => b.lines.some((l) => l.includes('Order\\/2"')));
    expect(holding).toHaveLength(1);
    const big = holding[0]!.lines;
    expect(big[0]).toBe(order(2));
    expect(big.slice(1, 401).every((l) => l.includes('"__parentId":"gid:\\/\\/shopify\\/Order\\/2"'))).toBe(true);
    expect(blocks.length).toBeGreaterThan(1);
    expect(blocks.flatMap((b) => b.lines)).toEqual(lines);
  });

  it('counts empty and CRLF lines like the line framing does', () => {
    const text = `${order(1)}\r\n${item(1, 0)}\r\n\r\n\n${order(2)}\r\n${item(2, 0)}\r\n${order(3)}\n`;
    const blocks = cut(text, 10, 13);
    expect(blocks.map((b) => b.firstLine)).toEqual([1, 5, 7]);
    expect(blocks[1]!.lines[0]).toBe(`${order(2)}\r`);
  });
});
