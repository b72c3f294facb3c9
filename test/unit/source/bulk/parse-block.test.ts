import { describe, expect, it } from 'vitest';
import { LineFormatError } from '../../../../src/protocol/lines.js';
import { ReassemblyError } from '../../../../src/source/bulk/assemble.js';
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
const task = (firstLine: number) => ({ stream: 'orders', label: 'orders test', context: { shop: 'my-shop' }, firstLine });
const block = (lines: string[]): Buffer => Buffer.from(`${lines.join('\n')}\n`);

describe('parsing a block', () => {
  it('reassembles its roots and serialises one RECORD line per record', () => {
    const out = parseBlock(block([order(1, 2), item(1, 0), item(1, 1), '', order(2)]), task(10), extraction, () => 42);
    expect(out).toMatchObject({ records: 2, lines: 4, roots: 2 });
    expect(out.bytes.toString('utf8').split('\n')).toEqual([
      JSON.stringify({ type: 'RECORD', record: { stream: 'orders', data: { id: 'gid://shopify/Order/1', shop: 'my-shop', items: ['gid://shopify/LineItem/100', 'gid://shopify/LineItem/101'] }, emitted_at: 42 } }),
      JSON.stringify({ type: 'RECORD', record: { stream: 'orders', data: { id: 'gid://shopify/Order/2', shop: 'my-shop', items: [] }, emitted_at: 42 } }),
      '',
    ]);
  });

  it('names the line of the file, not of the block, in its errors', () => {
    const bad = [order(1), item(1, 0), '{"id":', order(2)];
    expect(() => parseBlock(block(bad), task(1001), extraction)).toThrow(/line 1003 of the bulk result is not valid JSON/);
    const invalid = Buffer.concat([block([order(1)]), Buffer.from([0x7b, 0xff, 0x7d, 0x0a])]);
    let err: unknown;
    try {
      parseBlock(invalid, task(50), extraction);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LineFormatError);
    expect((err as LineFormatError).lineNumber).toBe(51);
    expect(() => parseBlock(block([order(1), item(2, 0)]), task(7), extraction)).toThrow(/line 8 belongs to gid:\/\/shopify\/Order\/2.*not grouped/);
    expect(() => parseBlock(block([order(1), item(2, 0)]), task(7), extraction)).toThrow(ReassemblyError);
  });

  it('refuses a root with fewer children than it reports, including the last root of the block', () => {
    expect(() => parseBlock(block([order(1, 1), item(1, 0), order(2, 3), item(2, 0)]), task(1), extraction)).toThrow(/Order\/2 reports 3 LineItem children but the bulk result holds 1/);
  });
});
