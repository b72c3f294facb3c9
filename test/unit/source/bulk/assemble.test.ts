import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GroupedAssembler, ReassemblyError, checkExpectedChildren, gidType, parseLine } from '../../../../src/source/bulk/assemble.js';
import { SpillAssembler } from '../../../../src/source/bulk/spill.js';
import { nestedConnectionDepth } from '../../../../src/source/bulk/query-shape.js';
import type { BulkNode } from '../../../../src/source/streams/define.js';

const order = (n: number): string => `{"id":"gid:\\/\\/shopify\\/Order\\/${n}","name":"#${n}"}`;
const line = (n: number, i: number): string => `{"id":"gid:\\/\\/shopify\\/LineItem\\/${n * 100 + i}","q":${i},"__parentId":"gid:\\/\\/shopify\\/Order\\/${n}"}`;
const tax = (n: number, i: number): string => `{"id":"gid:\\/\\/shopify\\/TaxLine\\/${n * 100 + i}","__parentId":"gid:\\/\\/shopify\\/LineItem\\/${n * 100 + i}"}`;

/** Each order's line items must all point back to it. */
function expectConsistent(roots: BulkNode[], children: number): void {
  for (const root of roots) {
    const n = Number(String(root.id).split('/').pop());
    const items = root.__children?.LineItem ?? [];
    expect(items).toHaveLength(children);
    for (const item of items) expect(Math.floor(Number(String(item.id).split('/').pop()) / 100)).toBe(n);
    expect(items.every((i) => !('__parentId' in i))).toBe(true);
  }
}

function groupedFile(orders: number, children: number): string[] {
  const out: string[] = [];
  for (let n = 1; n <= orders; n++) {
    out.push(order(n));
    for (let i = 0; i < children; i++) out.push(line(n, i));
  }
  return out;
}

/** Children after their parents but interleaved with other parents (what groupObjects: false allows). */
function ungroupedFile(orders: number, children: number): string[] {
  const out: string[] = [];
  for (let n = 1; n <= orders; n++) out.push(order(n));
  for (let i = 0; i < children; i++) for (let n = orders; n >= 1; n--) out.push(line(n, i));
  return out;
}

function assembleGrouped(lines: string[]): BulkNode[] {
  const a = new GroupedAssembler('orders test');
  const roots: BulkNode[] = [];
  lines.forEach((l, i) => {
    const done = a.push(parseLine(l, i + 1, 'orders test'), i + 1);
    if (done) roots.push(done);
  });
  const last = a.finish();
  if (last) roots.push(last);
  return roots;
}

describe('reassembly', () => {
  it('reads the type from the gid, including parameterised gids', () => {
    expect(gidType('gid://shopify/InventoryLevel/1?inventory_item_id=2')).toBe('InventoryLevel');
    expect(gidType(5)).toBeUndefined();
  });

  it('assembles a grouped file one root at a time', () => {
    const roots = assembleGrouped(groupedFile(50, 3));
    expect(roots).toHaveLength(50);
    expectConsistent(roots, 3);
  });

  it('refuses an ungrouped file in grouped mode instead of attaching to the wrong parent', () => {
    expect(() => assembleGrouped(ungroupedFile(3, 2))).toThrow(/not grouped/);
  });

  it('assembles an ungrouped file in memory and spilled to disk, never on the wrong parent', () => {
    for (const memoryLimitBytes of [1 << 30, 2048]) {
      const tempDir = mkdtempSync(join(tmpdir(), 'spill-test-'));
      const spill = new SpillAssembler('orders test', { nestedDepth: 1, bucketCount: 8, memoryLimitBytes, tempDir });
      const lines = ungroupedFile(200, 4);
      spill.push(`${lines.join('\n')}\n`);
      expect(spill.finish()).toBe(lines.length);
      const roots: BulkNode[] = [];
      for (const bucket of spill.buckets()) roots.push(...bucket);
      expect(spill.spilled).toBe(memoryLimitBytes < 1 << 20);
      spill.dispose();
      expect(roots).toHaveLength(200);
      expectConsistent(roots, 4);
      expect(readdirSync(tempDir)).toEqual([]);
    }
  });

  it('finds the root of grandchildren in an ungrouped file', () => {
    const lines = [order(1), order(2), line(2, 0), line(1, 0), tax(1, 0), tax(2, 0)];
    const spill = new SpillAssembler('t', { nestedDepth: 2, bucketCount: 4, memoryLimitBytes: 10 });
    spill.push(`${lines.join('\n')}\n`);
    spill.finish();
    const roots: BulkNode[] = [];
    for (const bucket of spill.buckets()) roots.push(...bucket);
    spill.dispose();
    const byId = new Map(roots.map((r) => [r.id, r]));
    const item1 = byId.get('gid://shopify/Order/1')!.__children!.LineItem![0]!;
    expect(item1.__children?.TaxLine?.[0]?.id).toBe('gid://shopify/TaxLine/100');
    const item2 = byId.get('gid://shopify/Order/2')!.__children!.LineItem![0]!;
    expect(item2.__children?.TaxLine?.[0]?.id).toBe('gid://shopify/TaxLine/200');
  });

  it('reports an orphan child', () => {
    const spill = new SpillAssembler('t', { nestedDepth: 1, bucketCount: 2 });
    spill.push(`${line(9, 0)}\n`);
    spill.finish();
    expect(() => [...spill.buckets()]).toThrow(ReassemblyError);
  });

  it('detects a nested connection cut short', () => {
    const [root] = assembleGrouped(groupedFile(1, 2));
    expect(() => checkExpectedChildren(root!, { LineItem: 2 }, 'orders')).not.toThrow();
    expect(() => checkExpectedChildren(root!, { LineItem: 3 }, 'orders')).toThrow(/reports 3 LineItem children but the bulk result holds 2/);
  });

  it('measures connection nesting of a query', () => {
    expect(nestedConnectionDepth('{ locations { edges { node { id name } } } }')).toBe(0);
    expect(nestedConnectionDepth('{ orders(query: "x") { edges { node { id lineItems { edges { node { id } } } } } } }')).toBe(1);
    expect(nestedConnectionDepth('{ products { edges { node { id media { edges { node { ... on MediaImage { id metafields { edges { node { id } } } } } } } } } } }')).toBe(2);
  });
});
