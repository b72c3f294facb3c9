import { describe, expect, it } from 'vitest';
import { LineFormatError } from '../../../../src/protocol/lines.js';
import { ReassemblyError } from '../../../../src/source/bulk/assemble.js';
import { RECORD_HEADER, writeRecordHeader } from '../../../../src/source/bulk/bucket-block.js';
import { parseBlock } from '../../../../src/source/bulk/parse-block.js';
import type { BulkExtraction, BulkNode } from '../../../../src/source/streams/define.js';

const order = (n: number, items = 0): string => `{"id":"gid:\\/\\/shopify\\/Order\\/${n}","n":${n},"itemsCount":${items}}`;
const item = (o: number, i: number): string => `{"id":"gid:\\/\\/shopify\\/LineItem\\/${o * 100 + i}","__parentId":"gid:\\/\\/shopify\\/Order\\/${o}"}`;

const extraction: BulkExtraction = {
  kind: 'bulk',
  query: () => '',
  toRecords: (node: BulkNode, ctx) => [{ id: node.id, shop: ctx.shop, items: (node.__children?.LineItem ?? []).map((i) => i.id) }],
  expectedChildren: (node: BulkNode) => ({ LineItem: Number(node.itemsCount) }),
};
const task = { stream: 'orders', label: 'orders test', context: { shop: 'my-shop' } };
const at = (firstLine: number) => ({ kind: 'lines' as const, firstLine });

/** A block of buckets as the spill stores them: each bucket a list of [line number, line, root hash]. */
function buckets(...lists: Array<Array<[number, string, number?]>>): { bytes: Buffer; layout: { kind: 'buckets'; bounds: Uint32Array } } {
  const parts: Buffer[] = [];
  const bounds = [0];
  let size = 0;
  for (const list of lists) {
    for (const [n, line, hash = 0] of list) {
      const text = Buffer.from(line);
      const rec = Buffer.alloc(RECORD_HEADER + text.length);
      writeRecordHeader(rec, 0, text.length, n, hash);
      text.copy(rec, RECORD_HEADER);
      parts.push(rec);
      size += rec.length;
    }
    bounds.push(size);
  }
  return { bytes: Buffer.concat(parts), layout: { kind: 'buckets', bounds: Uint32Array.from(bounds) } };
}
const block = (lines: string[]): Buffer => Buffer.from(`${lines.join('\n')}\n`);

describe('parsing a block', () => {
  it('reassembles its roots and serialises one RECORD line per record', () => {
    const out = parseBlock(block([order(1, 2), item(1, 0), item(1, 1), '', order(2)]), at(10), task, extraction, () => 42);
    expect(out).toMatchObject({ records: 2, lines: 4, roots: 2 });
    expect(out.bytes.toString('utf8').split('\n')).toEqual([
      JSON.stringify({ type: 'RECORD', record: { stream: 'orders', data: { id: 'gid://shopify/Order/1', shop: 'my-shop', items: ['gid://shopify/LineItem/100', 'gid://shopify/LineItem/101'] }, emitted_at: 42 } }),
      JSON.stringify({ type: 'RECORD', record: { stream: 'orders', data: { id: 'gid://shopify/Order/2', shop: 'my-shop', items: [] }, emitted_at: 42 } }),
      '',
    ]);
  });

  it('names the line of the file, not of the block, in its errors', () => {
    const bad = [order(1), item(1, 0), '{"id":', order(2)];
    expect(() => parseBlock(block(bad), at(1001), task, extraction)).toThrow(/line 1003 of the bulk result is not valid JSON/);
    const invalid = Buffer.concat([block([order(1)]), Buffer.from([0x7b, 0xff, 0x7d, 0x0a])]);
    let err: unknown;
    try {
      parseBlock(invalid, at(50), task, extraction);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LineFormatError);
    expect((err as LineFormatError).lineNumber).toBe(51);
    expect(() => parseBlock(block([order(1), item(2, 0)]), at(7), task, extraction)).toThrow(/line 8 belongs to gid:\/\/shopify\/Order\/2.*not grouped/);
    expect(() => parseBlock(block([order(1), item(2, 0)]), at(7), task, extraction)).toThrow(ReassemblyError);
  });

  it('refuses a root with fewer children than it reports, including the last root of the block', () => {
    expect(() => parseBlock(block([order(1, 1), item(1, 0), order(2, 3), item(2, 0)]), at(1), task, extraction)).toThrow(/Order\/2 reports 3 LineItem children but the bulk result holds 1/);
  });
});

describe('parsing a block of buckets (ungrouped result)', () => {
  it('assembles each bucket on its own, children after their parents whatever lies between', () => {
    const { bytes, layout } = buckets([[1, order(1, 2)], [4, order(3)], [7, item(1, 1)], [9, item(1, 0)]], [], [[2, order(2, 1)], [8, item(2, 0)]]);
    const out = parseBlock(bytes, layout, task, extraction, () => 7);
    expect(out).toMatchObject({ records: 3, lines: 6, roots: 3 });
    const data = out.bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l).record.data);
    expect(data).toEqual([
      { id: 'gid://shopify/Order/1', shop: 'my-shop', items: ['gid://shopify/LineItem/101', 'gid://shopify/LineItem/100'] },
      { id: 'gid://shopify/Order/3', shop: 'my-shop', items: [] },
      { id: 'gid://shopify/Order/2', shop: 'my-shop', items: ['gid://shopify/LineItem/200'] },
    ]);
  });

  it('assembles a large bucket in sub-buckets split by root, every child with its own root', () => {
    // 300 orders of 2 items in one bucket, children after all roots: well over one sub-bucket.
    const hash = (o: number): number => Math.imul(o, 2654435761) >>> 0;
    const list: Array<[number, string, number]> = [];
    for (let o = 1; o <= 300; o++) list.push([o, order(o, 2), hash(o)]);
    for (let o = 300; o >= 1; o--) for (let i = 0; i < 2; i++) list.push([list.length + 1, item(o, i), hash(o)]);
    const { bytes, layout } = buckets(list);
    const out = parseBlock(bytes, layout, task, extraction, () => 7);
    expect(out).toMatchObject({ records: 300, lines: 900, roots: 300 });
    const data = out.bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l).record.data as { id: string; items: string[] });
    const ids = data.map((d) => Number(d.id.split('/').pop()));
    expect([...ids].sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, k) => k + 1));
    // Split into parts: not simply file order.
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
    for (const d of data) {
      const o = Number(d.id.split('/').pop());
      expect(d.items).toEqual([`gid://shopify/LineItem/${o * 100}`, `gid://shopify/LineItem/${o * 100 + 1}`]);
    }
  });

  it('names the stored line number in its errors, and never attaches a child from another bucket', () => {
    const orphan = buckets([[1, order(1)]], [[5, item(1, 0)]]);
    expect(() => parseBlock(orphan.bytes, orphan.layout, task, extraction)).toThrow(/line 5 is a child of gid:\/\/shopify\/Order\/1, which is not in the bulk result before it/);
    const bad = buckets([[1, order(1)], [12, '{"id":']]);
    expect(() => parseBlock(bad.bytes, bad.layout, task, extraction)).toThrow(/line 12 of the bulk result is not valid JSON/);
    const short = buckets([[3, order(1, 2)], [4, item(1, 0)]]);
    expect(() => parseBlock(short.bytes, short.layout, task, extraction)).toThrow(/Order\/1 reports 2 LineItem children but the bulk result holds 1/);
  });
});
