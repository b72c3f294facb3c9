/** Reference §2: the JSONL result format, byte for byte where Shopify is specific. */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { exportAll, gql, lines, start } from './helpers.js';
import type { Json } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ orders: 300 });
});
afterAll(async () => {
  await sim.close();
});

const NESTED = `{ products { edges { node { id title
  variants { edges { node { id title sku } } }
  media { edges { node { id alt mediaContentType } } }
  metafields { edges { node { id namespace key value } } } } } } }`;

function byId(rows: Json[]): Map<string, number> {
  return new Map(rows.map((row, i) => [row.id as string, i]));
}

describe('JSONL format (§2)', () => {
  it('is compact, escapes / as \\/, ends every line with \\n, keys in selection order, __parentId last', async () => {
    const { op, text } = await exportAll(sim, NESTED, { group: true });
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toMatch(/[^\\]\//);
    expect(text).toContain('"id":"gid:\\/\\/shopify\\/Product\\/');
    expect(text).not.toMatch(/": |, "/);
    const rows = lines(text);
    expect(String(rows.length)).toBe(op.objectCount);
    expect(Buffer.byteLength(text)).toBe(Number(op.fileSize));
    for (const row of rows) {
      const keys = Object.keys(row);
      const type = String(row.id).split('/')[3];
      const expected = { Product: ['id', 'title'], ProductVariant: ['id', 'title', 'sku', '__parentId'], MediaImage: ['id', 'alt', 'mediaContentType', '__parentId'], Metafield: ['id', 'namespace', 'key', 'value', '__parentId'] }[type ?? ''];
      expect(keys).toEqual(expected);
    }
    expect(rows.filter((r) => r.__parentId === undefined).length).toBe(Number(op.rootObjectCount));
  });

  it('grouped: each product is followed directly by its variants, then media, then metafields (captured order)', async () => {
    const { text } = await exportAll(sim, NESTED, { group: true });
    const rows = lines(text);
    let parent: string | undefined;
    let phase = 0;
    for (const row of rows) {
      if (row.__parentId === undefined) {
        parent = row.id;
        phase = 0;
        continue;
      }
      expect(row.__parentId).toBe(parent);
      const kind = ['ProductVariant', 'MediaImage', 'Metafield'].indexOf(String(row.id).split('/')[3] ?? '');
      expect(kind).toBeGreaterThanOrEqual(phase);
      phase = kind;
    }
  });

  it('ungrouped: children come after their parent but really interleave with other parents', async () => {
    const { op, text } = await exportAll(sim, NESTED, { group: false });
    const rows = lines(text);
    expect(String(rows.length)).toBe(op.objectCount);
    const position = byId(rows);
    let lastRoot: string | undefined;
    let interleaved = 0;
    for (const [i, row] of rows.entries()) {
      if (row.__parentId === undefined) {
        lastRoot = row.id;
        continue;
      }
      expect(position.get(row.__parentId)).toBeLessThan(i);
      if (row.__parentId !== lastRoot) interleaved += 1;
    }
    expect(interleaved).toBeGreaterThan(rows.length / 4);
    const grouped = lines((await exportAll(sim, NESTED, { group: true })).text);
    expect(new Set(rows.map((r) => JSON.stringify(r)))).toEqual(new Set(grouped.map((r) => JSON.stringify(r))));
  });

  it('groupObjects defaults: true on 2025-10, false on 2026-07', async () => {
    const query = '{ products { edges { node { id variants { edges { node { id } } } } } } }';
    const contiguous = (rows: Json[]) => {
      let root: string | undefined;
      return rows.every((row) => (row.__parentId === undefined ? ((root = row.id), true) : row.__parentId === root));
    };
    expect(contiguous(lines((await exportAll(sim, query, { version: '2025-10' })).text))).toBe(true);
    expect(contiguous(lines((await exportAll(sim, query, { version: '2026-07' })).text))).toBe(false);
  });

  it('productVariants root: nested children point at the variant', async () => {
    const { op, text } = await exportAll(sim, '{ productVariants { edges { node { id product { id } metafields { edges { node { id } } } } } } }');
    const rows = lines(text);
    expect(op.rootObjectCount).toBe(String(sim.store.count('productVariants')));
    expect(rows[0]).toMatchObject({ id: expect.stringMatching(/ProductVariant/), product: { id: expect.stringMatching(/Product\//) } });
  });

  it('inventory levels carry parameterised gids and reference real items and locations', async () => {
    const { text } = await exportAll(sim, '{ locations { edges { node { id name inventoryLevels { edges { node { id quantities(names: ["available", "on_hand"]) { name quantity } item { id } location { id } } } } } } } }', { group: true });
    const rows = lines(text);
    const levels = rows.filter((r) => r.__parentId !== undefined);
    expect(levels.length).toBe(sim.store.count('inventoryLevels'));
    const items = new Set(sim.store.list('inventoryItems').map((e) => e.gid));
    for (const level of levels) {
      const match = /^gid:\/\/shopify\/InventoryLevel\/\d+\?inventory_item_id=(\d+)$/.exec(level.id);
      expect(match).not.toBeNull();
      expect(level.item.id).toBe(`gid://shopify/InventoryItem/${match?.[1]}`);
      expect(items.has(level.item.id)).toBe(true);
      expect(level.location.id).toBe(level.__parentId);
      expect(level.quantities.map((q: Json) => q.name)).toEqual(['available', 'on_hand']);
    }
    expect(text).toContain('?inventory_item_id=');
  });

  it('honours the search filter and sortKey on the root connection', async () => {
    const min = '2023-01-01T00:00:00Z';
    const max = '2024-01-01T00:00:00Z';
    const { text } = await exportAll(sim, `{ orders(query: "updated_at:>='${min}' AND updated_at:<'${max}'", sortKey: UPDATED_AT) { edges { node { id updatedAt } } } }`);
    const expected = sim.store.list('orders', { updatedAtMin: min, updatedAtMax: max, sortKey: 'UPDATED_AT' });
    expect(expected.length).toBeGreaterThan(10);
    expect(lines(text)).toEqual(expected.map((e) => ({ id: e.gid, updatedAt: e.updatedAt })));
    const reversed = lines((await exportAll(sim, `{ customers(query: "created_at:<=2022-06-01", sortKey: CREATED_AT, reverse: true) { edges { node { id createdAt } } } }`)).text);
    const customers = sim.store.list('customers', { createdAtMax: '2022-06-01T00:00:01Z', sortKey: 'CREATED_AT' }).reverse();
    expect(reversed.map((r) => r.id)).toEqual(customers.map((c) => c.gid));
  });

  it('serves gzip when asked and byte ranges for resuming', async () => {
    const { op, text } = await exportAll(sim, NESTED);
    const node = await import('node:http');
    const compressed: Buffer = await new Promise((resolve, reject) => {
      node.get(op.url, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        expect(res.headers['content-encoding']).toBe('gzip');
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
      }).on('error', reject);
    });
    expect(gunzipSync(compressed).toString('utf8')).toBe(text);
    const tail = await fetch(op.url, { headers: { range: 'bytes=100-', 'accept-encoding': 'identity' } });
    expect(tail.status).toBe(206);
    expect(await tail.text()).toBe(Buffer.from(text).subarray(100).toString('utf8'));
  });

  it('reuses the result of an identical job until the store changes', async () => {
    const query = '{ customers { edges { node { id updatedAt } } } }';
    const first = await exportAll(sim, query);
    const second = await exportAll(sim, query);
    expect(second.text).toBe(first.text);
    expect(second.op.id).not.toBe(first.op.id);
    const [changed] = sim.store.update('customers', { count: 1 });
    const third = await exportAll(sim, query);
    expect(third.text).not.toBe(first.text);
    expect(lines(third.text).find((row) => row.id === changed)?.updatedAt).toBe(sim.store.list('customers').find((e) => e.gid === changed)?.updatedAt);
  });

  it('matches what the graphql engine returns for the same selection', async () => {
    const selection = 'id title handle vendor tags status createdAt priceRangeV2 { minVariantPrice { amount currencyCode } } options { name values } seo { title }';
    const { text } = await exportAll(sim, `{ products(sortKey: ID) { edges { node { ${selection} variants { edges { node { id price selectedOptions { name value } inventoryItem { id tracked } } } } } } } }`, { group: true });
    const page = await gql(sim, `{ products(first: 25, sortKey: ID) { edges { node { ${selection} variants(first: 4) { edges { node { id price selectedOptions { name value } inventoryItem { id tracked } } } } } } } }`);
    const expected: Json[] = [];
    for (const { node } of page.data.products.edges) {
      const { variants, ...product } = node;
      expected.push(product);
      for (const { node: variant } of variants.edges) expected.push({ ...variant, __parentId: product.id });
    }
    expect(lines(text).slice(0, expected.length)).toEqual(expected);
  });
});
