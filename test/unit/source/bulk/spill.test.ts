import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReassemblyError } from '../../../../src/source/bulk/assemble.js';
import { hashKey, hashOf, keyOf, lineIds } from '../../../../src/source/bulk/line-ids.js';
import { SpillAssembler, type SpillOptions } from '../../../../src/source/bulk/spill.js';
import type { BulkNode } from '../../../../src/source/streams/define.js';

const gid = (type: string, n: number): string => `gid:\\/\\/shopify\\/${type}\\/${n}`;
const order = (n: number): string => `{"id":"${gid('Order', n)}","name":"#${n}","note":"caf\u00e9 \u{1f4e6}"}`;
const item = (o: number, i: number): string => `{"id":"${gid('LineItem', o * 100 + i)}","q":${i},"__parentId":"${gid('Order', o)}"}`;
const tax = (o: number, i: number, t: number): string => `{"id":"${gid('TaxLine', (o * 100 + i) * 10 + t)}","__parentId":"${gid('LineItem', o * 100 + i)}"}`;

/** Orders, then their items and the items' tax lines in an order no grouping survives: newest parent first, levels interleaved. */
function scrambled(orders: number, items: number, taxes: number): string[] {
  const roots: string[] = [];
  const rest: string[] = [];
  for (let o = 1; o <= orders; o++) {
    roots.push(order(o));
    // A later order's children arrive before an earlier order's, and before the next roots.
    if (o % 3 === 0) for (let i = 0; i < items; i++) rest.push(item(o, i));
  }
  for (let o = orders; o >= 1; o--) if (o % 3 !== 0) for (let i = 0; i < items; i++) rest.push(item(o, i));
  for (let t = 0; t < taxes; t++) for (let o = 1; o <= orders; o++) for (let i = 0; i < items; i++) rest.push(tax(o, i, t));
  // Interleave the first half of the roots with children of those roots, as a windowed export would.
  const half = Math.floor(roots.length / 2);
  const early = rest.filter((l) => Number(/Order\\\/(\d+)"}$/.exec(l)?.[1] ?? Infinity) <= half);
  const late = rest.filter((l) => !early.includes(l));
  return [...roots.slice(0, half), ...early, ...roots.slice(half), ...late];
}

function run(text: string | Buffer, options: Partial<SpillOptions>, chunk = 1 << 16): { roots: BulkNode[]; lines: number; spilled: boolean } {
  const spill = new SpillAssembler('orders test', { nestedDepth: 2, bucketCount: 8, ...options });
  try {
    const bytes = typeof text === 'string' ? Buffer.from(text) : text;
    for (let i = 0; i < bytes.length; i += chunk) spill.push(bytes.subarray(i, i + chunk));
    const lines = spill.finish();
    const roots: BulkNode[] = [];
    for (const bucket of spill.buckets()) roots.push(...bucket);
    return { roots, lines, spilled: spill.spilled };
  } finally {
    spill.dispose();
  }
}

function expectTrees(roots: BulkNode[], orders: number, items: number, taxes: number): void {
  expect(roots.map((r) => r.id).sort()).toEqual(Array.from({ length: orders }, (_, k) => `gid://shopify/Order/${k + 1}`).sort());
  for (const root of roots) {
    const o = Number(String(root.id).split('/').pop());
    expect(root.note).toBe('caf\u00e9 \u{1f4e6}');
    const lineItems = root.__children?.LineItem ?? [];
    expect(lineItems.map((i) => i.id)).toEqual(Array.from({ length: items }, (_, i) => `gid://shopify/LineItem/${o * 100 + i}`).sort((a, b) => lineItems.findIndex((x) => x.id === a) - lineItems.findIndex((x) => x.id === b)));
    for (const li of lineItems) {
      expect(Math.floor(Number(String(li.id).split('/').pop()) / 100)).toBe(o);
      expect('__parentId' in li).toBe(false);
      const taxLines = li.__children?.TaxLine ?? [];
      expect(taxLines).toHaveLength(taxes);
      for (const t of taxLines) expect(Math.floor(Number(String(t.id).split('/').pop()) / 10)).toBe(Number(String(li.id).split('/').pop()));
    }
    expect(lineItems).toHaveLength(items);
  }
}

describe('ungrouped reassembly from bytes', () => {
  const lines = scrambled(60, 3, 2);
  const text = `${lines.join('\n')}\n`;

  it('rebuilds every tree, grandchildren included, in memory and spilled, whatever the chunk boundaries and read groups', () => {
    for (const memoryLimitBytes of [1 << 30, 4096, 1]) {
      for (const [chunk, readBytes] of [[1, 1], [7, 1 << 20], [300, 5000], [1 << 16, 1]] as const) {
        const tempDir = mkdtempSync(join(tmpdir(), 'spill-test-'));
        const { roots, lines: count, spilled } = run(text, { memoryLimitBytes, tempDir, readBytes }, chunk);
        expect(count).toBe(lines.length);
        expect(spilled).toBe(memoryLimitBytes < 1 << 20);
        expectTrees(roots, 60, 3, 2);
        expect(readdirSync(tempDir)).toEqual([]);
      }
    }
  });

  it('gives the same trees with one bucket and with many', () => {
    const one = run(text, { bucketCount: 1 }).roots;
    const many = run(text, { bucketCount: 64, memoryLimitBytes: 2048 }).roots;
    const byId = (rs: BulkNode[]): BulkNode[] => [...rs].sort((a, b) => String(a.id).localeCompare(String(b.id)));
    expect(byId(many)).toEqual(byId(one));
  });

  it('keeps a line larger than the memory limit', () => {
    const big = `{"id":"${gid('Order', 1)}","note":"${'x'.repeat(100_000)}"}`;
    const { roots } = run(`${order(2)}\n${big}\n${item(1, 0)}\n${item(2, 0)}\n`, { memoryLimitBytes: 1000, nestedDepth: 1 }, 4096);
    const one = roots.find((r) => r.id === 'gid://shopify/Order/1')!;
    expect(String(one.note)).toHaveLength(100_000);
    expect(one.__children?.LineItem).toHaveLength(1);
  });

  it('reads lines in other layouts by parsing them, and matches ids however they are escaped', () => {
    const file = [
      // __parentId first, id last: not Shopify's layout, parsed instead.
      `{"id":"gid://shopify/Order/1","meta":{"__parentId":"nested, not the key"}}`,
      `{"__parentId":"gid://shopify/Order/1","q":1,"id":"gid://shopify/LineItem/100"}`,
      // The root's id escaped one way, the child's reference another.
      `{"id":"gid:\\/\\/shopify\\/Order\\/2"}`,
      `{"id":"gid://shopify/LineItem/200","__parentId":"gid:\\u002f\\u002fshopify\\u002fOrder\\u002f2"}`,
      `{"id":"gid:\\/\\/shopify\\/TaxLine/2000","__parentId":"gid://shopify/LineItem/200"}`,
      // The real key last, a decoy inside a string and a nested object.
      `{"id":"gid://shopify/LineItem/101","s":"\\"__parentId\\":\\"gid://shopify/Order/2\\"","o":{"__parentId":"x"},"__parentId":"gid://shopify/Order/1"}`,
    ];
    for (const memoryLimitBytes of [1 << 20, 1]) {
      const { roots } = run(`${file.join('\n')}\n`, { memoryLimitBytes, bucketCount: 16 });
      const byId = new Map(roots.map((r) => [r.id, r]));
      expect(roots).toHaveLength(2);
      expect(byId.get('gid://shopify/Order/1')!.__children!.LineItem!.map((i) => i.id)).toEqual(['gid://shopify/LineItem/100', 'gid://shopify/LineItem/101']);
      expect(byId.get('gid://shopify/Order/1')!.meta).toEqual({ __parentId: 'nested, not the key' });
      const li = byId.get('gid://shopify/Order/2')!.__children!.LineItem![0]!;
      expect(li.__children?.TaxLine?.[0]?.id).toBe('gid://shopify/TaxLine/2000');
    }
  });

  it('skips empty lines and CRLF endings but counts them in line numbers, and reads a last line without a newline', () => {
    const { roots, lines: count } = run(`${order(1)}\r\n\n${item(1, 0)}\r\n\r\n${order(2)}\n${item(2, 0)}`, { nestedDepth: 1 });
    expect(count).toBe(4);
    expect(roots.map((r) => r.__children?.LineItem?.length)).toEqual([1, 1]);
    expect(() => run(`${order(1)}\r\n\n\n${item(3, 0)}\n`, { nestedDepth: 1 })).toThrow(/line 4 is a child of gid:\/\/shopify\/Order\/3/);
  });

  it('refuses a child whose parent is in no tree, naming its line, also when spilled', () => {
    for (const memoryLimitBytes of [1 << 20, 1]) {
      // Order 5's items go to order 5's bucket, where no order 5 exists; nothing may attach them elsewhere.
      expect(() => run(`${order(1)}\n${order(2)}\n${item(1, 0)}\n${item(5, 0)}\n`, { memoryLimitBytes, nestedDepth: 1, bucketCount: 1 })).toThrow(/line 4 is a child of gid:\/\/shopify\/Order\/5/);
      expect(() => run(`${order(1)}\n${item(1, 0)}\n${tax(7, 0, 0)}\n`, { memoryLimitBytes })).toThrow(/line 3 is a child of gid:\/\/shopify\/LineItem\/700/);
    }
  });

  it('refuses a child that comes before its parent', () => {
    expect(() => run(`${item(1, 0)}\n${order(1)}\n`, { nestedDepth: 1 })).toThrow(/line 1 is a child of gid:\/\/shopify\/Order\/1, which is not in the bulk result before it/);
  });

  it('names the line that is not valid UTF-8 or not valid JSON, in either layout', () => {
    const bad = Buffer.concat([Buffer.from(`${order(1)}\n{"id":"gid://shopify/LineItem/1","note":"`), Buffer.from([0xc3, 0x28]), Buffer.from(`","__parentId":"${gid('Order', 1)}"}\n`)]);
    for (const memoryLimitBytes of [1 << 20, 1]) {
      expect(() => run(bad, { memoryLimitBytes, nestedDepth: 1 })).toThrow(/line 2 of the bulk result is not valid UTF-8/);
      expect(() => run(Buffer.concat([Buffer.from('{"note":"'), Buffer.from([0xff]), Buffer.from('","id":"x"}\n')]), { memoryLimitBytes })).toThrow(/line 1 of the bulk result is not valid UTF-8/);
      expect(() => run(`${order(1)}\n{"id":"gid://shopify/LineItem/1",,"__parentId":"${gid('Order', 1)}"}\n`, { memoryLimitBytes, nestedDepth: 1 })).toThrow(/line 2 of the bulk result is not valid JSON/);
      expect(() => run(`${order(1)}\nnot json\n`, { memoryLimitBytes })).toThrow(ReassemblyError);
    }
  });

  it('removes its temp files when assembly fails', () => {
    const tempDir = mkdtempSync(join(tmpdir(), 'spill-test-'));
    expect(() => run(`${text}${item(999, 0)}\n`, { memoryLimitBytes: 512, tempDir })).toThrow(/line \d+ is a child of gid:\/\/shopify\/Order\/999/);
    expect(readdirSync(tempDir)).toEqual([]);
  });
});

describe('ids read from line bytes', () => {
  const ids = (line: string, wantChildId = true): { id: string | undefined; parent: string | undefined } | undefined => {
    const r = lineIds(Buffer.from(line), 0, Buffer.byteLength(line), wantChildId);
    return r && { id: r.id && keyOf(r.id), parent: r.parent && keyOf(r.parent) };
  };

  it('reads Shopify layout and declines others', () => {
    expect(ids(`{"id":"a\\/b","x":1}`)).toEqual({ id: 'a/b', parent: undefined });
    expect(ids(`{"id":"a","__parentId":"p\\/q"}`)).toEqual({ id: 'a', parent: 'p/q' });
    expect(ids(`{"id":"a","__parentId":"p"}`, false)).toEqual({ id: undefined, parent: 'p' });
    expect(ids(`{"x":1,"id":"a"}`)).toBeUndefined();
    expect(ids(`{"id":"a","o":{"__parentId":"p"}}`)).toBeUndefined();
    expect(ids(`{"id":"a","__parentId":"p","x":1}`)).toBeUndefined();
    expect(ids(`{"id":"a\\"b","__parentId":"p"}`)).toEqual({ id: 'a"b', parent: 'p' });
    expect(ids(`{"id":"caf\u00e9"}`)!.id).toBe(Buffer.from('caf\u00e9').toString('latin1'));
  });

  it('hashes a token like its canonical key, whatever its escapes', () => {
    const token = (s: string) => lineIds(Buffer.from(`{"id":"${s}"}`), 0, Buffer.byteLength(`{"id":"${s}"}`), true)!.id!;
    const plain = hashKey('gid://shopify/Order/1');
    expect(hashOf(token('gid:\\/\\/shopify\\/Order\\/1'))).toBe(plain);
    expect(hashOf(token('gid:\\u002f\\u002fshopify/Order/1'))).toBe(plain);
    expect(hashOf(token('gid://shopify/Order/1'))).toBe(plain);
    expect(hashOf(token('gid://shopify/Order/2'))).not.toBe(plain);
  });
});
