/**
 * Arguments of nested connections: `inventoryLevels(query:)` under Location and InventoryItem, and
 * `metafields(namespace:, keys:)`, in bulk results and plain queries alike; `first` stays ignored in bulk.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator, StoreEntry } from '../../src/simulator/index.js';
import { exportAll, gql, lines, start } from './helpers.js';
import type { Json } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ orders: 300, locations: 4 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

/** A half-open window [min, max) over the levels' updatedAt that holds some levels and excludes others. */
function middleWindow(levels: StoreEntry[]): { min: string; max: string } {
  const times = [...new Set(levels.map((l) => l.updatedAt))].sort();
  const min = times[Math.floor(times.length / 3)];
  const max = times[Math.floor((2 * times.length) / 3)];
  if (!min || !max || min >= max) throw new Error('store too small for a window');
  return { min, max };
}

function windowQuery(min: string, max: string): string {
  return JSON.stringify(`updated_at:>='${min}' AND updated_at:<'${max}'`);
}

function inWindow(entry: StoreEntry, min: string, max: string): boolean {
  return entry.updatedAt >= min && entry.updatedAt < max;
}

describe('nested connection filters', () => {
  it('bulk: inventoryLevels(query:) under Location keeps only the levels in the window', async () => {
    const levels = sim.store.list('inventoryLevels');
    const { min, max } = middleWindow(levels);
    const expected = levels.filter((l) => inWindow(l, min, max)).map((l) => l.gid).sort();
    const outside = levels.filter((l) => !inWindow(l, min, max));
    expect(expected.length).toBeGreaterThan(0);
    expect(outside.length).toBeGreaterThan(0);

    const { op, text } = await exportAll(sim, `{ locations { edges { node { id inventoryLevels(first: 5, query: ${windowQuery(min, max)}) { edges { node { id updatedAt } } } } } } }`);
    const rows = lines(text);
    const got = rows.filter((r) => r.__parentId !== undefined);
    // `first` is ignored in bulk; the window alone decides.
    expect(got.map((r) => r.id).sort()).toEqual(expected);
    for (const row of got) expect(row.updatedAt >= min && row.updatedAt < max).toBe(true);
    const ids = new Set(got.map((r) => r.id));
    for (const level of outside) expect(ids.has(level.gid)).toBe(false);
    expect(rows.length - got.length).toBe(sim.store.count('locations'));
    expect(op.objectCount).toBe(String(rows.length));
    expect(op.rootObjectCount).toBe(String(sim.store.count('locations')));
  });

  it('bulk: adjacent windows partition the levels, and an updated level moves to the window of its new updatedAt', async () => {
    const before = sim.store.list('inventoryLevels');
    const { min, max } = middleWindow(before);
    const [moved] = before.filter((l) => inWindow(l, min, max));
    if (!moved) throw new Error('no level in the window');
    sim.clock.set('2027-01-01T00:00:00Z');
    sim.store.update('inventoryLevels', { gids: [moved.gid] });
    const levels = sim.store.list('inventoryLevels');
    const now = levels.find((l) => l.gid === moved.gid)?.updatedAt ?? '';
    expect(now >= max).toBe(true);

    const seen: string[] = [];
    for (const [lo, hi] of [['2000-01-01T00:00:00Z', min], [min, max], [max, '2100-01-01T00:00:00Z']] as const) {
      const { op, text } = await exportAll(sim, `{ locations { edges { node { id inventoryLevels(query: ${windowQuery(lo, hi)}) { edges { node { id updatedAt } } } } } } }`);
      const rows = lines(text);
      const got = rows.filter((r) => r.__parentId !== undefined).map((r) => r.id as string);
      expect(got.sort()).toEqual(levels.filter((l) => inWindow(l, lo, hi)).map((l) => l.gid).sort());
      expect(op.objectCount).toBe(String(rows.length));
      if (lo === min) expect(got).not.toContain(moved.gid);
      if (lo === max) expect(got).toContain(moved.gid);
      seen.push(...got);
    }
    expect(seen.sort()).toEqual(levels.map((l) => l.gid).sort());
  });

  it('bulk: inventoryLevels(query:) under InventoryItem is filtered too', async () => {
    const levels = sim.store.list('inventoryLevels');
    const { min, max } = middleWindow(levels);
    const { op, text } = await exportAll(sim, `{ inventoryItems { edges { node { id inventoryLevels(query: ${windowQuery(min, max)}) { edges { node { id updatedAt } } } } } } }`);
    const rows = lines(text);
    const got = rows.filter((r) => r.__parentId !== undefined);
    expect(got.map((r) => r.id).sort()).toEqual(levels.filter((l) => inWindow(l, min, max)).map((l) => l.gid).sort());
    for (const row of got) expect(row.id).toContain(`inventory_item_id=${String(row.__parentId).split('/').pop()}`);
    expect(op.objectCount).toBe(String(rows.length));
  });

  it('plain query: inventoryLevels(query:) on a location is filtered before paging', async () => {
    const location = sim.store.list('locations')[0];
    if (!location) throw new Error('no location');
    const levels = sim.store.list('inventoryLevels').filter((l) => l.index % 32 === location.index);
    const { min, max } = middleWindow(levels);
    const expected = levels.filter((l) => inWindow(l, min, max)).map((l) => l.gid);
    const body = await gql(sim, `query($id: ID!, $q: String!) { location(id: $id) { inventoryLevels(first: 250, query: $q) { nodes { id updatedAt } } } }`, {
      variables: { id: location.gid, q: `updated_at:>='${min}' AND updated_at:<'${max}'` },
    });
    const nodes = body.data.location.inventoryLevels.nodes as Json[];
    expect(nodes.map((n) => n.id).sort()).toEqual([...expected].sort());
    expect(nodes.length).toBeLessThan(levels.length);
  });

  it('metafields(namespace:, keys:) select by namespace and `namespace.key`, in bulk and plain queries', async () => {
    const all = lines((await exportAll(sim, '{ products { edges { node { id metafields { edges { node { id namespace key } } } } } } }')).text).filter((r) => r.__parentId);
    expect(all.some((m) => m.key !== 'key_0')).toBe(true);
    const keyed = await exportAll(sim, '{ products { edges { node { id metafields(keys: ["custom.key_0"]) { edges { node { id namespace key } } } } } } }');
    const keyedRows = lines(keyed.text);
    expect(keyedRows.filter((r) => r.__parentId).map((r) => r.id).sort()).toEqual(all.filter((m) => m.key === 'key_0').map((m) => m.id).sort());
    expect(keyed.op.objectCount).toBe(String(keyedRows.length));
    const none = await exportAll(sim, '{ products { edges { node { id metafields(namespace: "other") { edges { node { id } } } } } } }');
    expect(lines(none.text).filter((r) => r.__parentId)).toEqual([]);
    const same = await exportAll(sim, '{ products { edges { node { id metafields(namespace: "custom") { edges { node { id } } } } } } }');
    expect(lines(same.text).filter((r) => r.__parentId)).toHaveLength(all.length);

    const owner = all.find((m) => m.key === 'key_1')?.__parentId as string;
    const plain = await gql(sim, `query($id: ID!) { product(id: $id) { a: metafields(first: 10, keys: ["custom.key_1"]) { nodes { key } } b: metafields(first: 10, namespace: "nope") { nodes { key } } } }`, { variables: { id: owner } });
    expect(plain.data.product).toEqual({ a: { nodes: [{ key: 'key_1' }] }, b: { nodes: [] } });
  });
});
