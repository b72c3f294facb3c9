/** The generated store: deterministic, consistent, varied, lazy enough for a million orders, mutable. */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/simulator/clock.js';
import { Store } from '../../src/simulator/store/store.js';
import { listEntries } from '../../src/simulator/store/query.js';
import { materialize } from '../../src/simulator/store/materialize.js';
import { deleteRecords, insertRecords, updateRecords } from '../../src/simulator/store/mutate.js';

function store(seed = 1, orders = 2000): Store {
  return new Store({ seed, orders }, new SimClock(Date.parse('2026-11-01T00:00:00Z')));
}

describe('generated store', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = store(1);
    const b = store(1);
    const c = store(2);
    for (const i of [0, 17, 1999]) {
      expect(JSON.stringify(materialize(a.record('orders', i) ?? {}))).toBe(JSON.stringify(materialize(b.record('orders', i) ?? {})));
    }
    expect(JSON.stringify(materialize(a.record('orders', 17) ?? {}))).not.toBe(JSON.stringify(materialize(c.record('orders', 17) ?? {})));
  });

  it('is internally consistent: orders reference real customers and variants', () => {
    const s = store();
    const customers = new Set(listEntries(s, 'customers').map((e) => e.gid));
    const variants = new Set(listEntries(s, 'productVariants').map((e) => e.gid));
    let withCustomer = 0;
    for (const entry of listEntries(s, 'orders').slice(0, 300)) {
      const order = materialize(entry.record());
      if (order.customer) {
        withCustomer += 1;
        expect(customers.has((order.customer as { id: string }).id)).toBe(true);
      }
      for (const item of order.lineItems as Array<{ variant: { id: string } }>) expect(variants.has(item.variant.id)).toBe(true);
      const total = order.totalPriceSet as { shopMoney: { amount: string; currencyCode: string }; presentmentMoney: { currencyCode: string } };
      expect(total.shopMoney.currencyCode).toBe('USD');
      expect(total.shopMoney.amount).toMatch(/^\d+\.\d\d$/);
    }
    expect(withCustomer).toBeGreaterThan(200);
  });

  it('varies currencies, nulls, unicode and very long strings, over years', () => {
    const s = store();
    const orders = listEntries(s, 'orders').map((e) => materialize(e.record()));
    const currencies = new Set(orders.map((o) => (o.totalPriceSet as { presentmentMoney: { currencyCode: string } }).presentmentMoney.currencyCode));
    expect(currencies.size).toBeGreaterThan(5);
    expect(orders.some((o) => o.email === null)).toBe(true);
    expect(orders.some((o) => o.billingAddress === null)).toBe(true);
    expect(orders.some((o) => typeof o.note === 'string' && o.note.length > 10_000)).toBe(true);
    expect(orders.some((o) => /[^\u0000-\u007f]/.test(String(o.note)))).toBe(true);
    const years = new Set(orders.map((o) => String(o.updatedAt).slice(0, 4)));
    expect([...years].sort()).toEqual(['2021', '2022', '2023', '2024', '2025', '2026']);
    const products = listEntries(s, 'products').map((e) => materialize(e.record()));
    expect(products.some((p) => (p.metafields as unknown[]).length > 0)).toBe(true);
    expect(products.some((p) => (p.media as unknown[]).length > 0)).toBe(true);
    const collections = listEntries(s, 'collections').map((e) => materialize(e.record()));
    expect(collections.some((c) => c.ruleSet !== null)).toBe(true);
    expect(collections.some((c) => c.ruleSet === null)).toBe(true);
  });

  it('handles a million orders lazily', () => {
    const before = process.memoryUsage().heapUsed;
    const s = new Store({ orders: 1_000_000 }, new SimClock());
    const last = s.record('orders', 999_999);
    expect(last?.id).toBe('gid://shopify/Order/5100000999999');
    const window = listEntries(s, 'orders', { updatedAtMin: '2024-03-01T00:00:00Z', updatedAtMax: '2024-03-02T00:00:00Z', sortKey: 'UPDATED_AT' });
    expect(window.length).toBeGreaterThan(100);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('mutates: updates bump updatedAt to now, inserts and deletes show up in listings', () => {
    const s = store();
    const now = '2026-11-01T00:00:00Z';
    const updated = updateRecords(s, 'orders', { count: 5, patch: { note: 'changed' } });
    expect(updated).toHaveLength(5);
    const recent = listEntries(s, 'orders', { updatedAtMin: now });
    expect(recent.map((e) => e.gid)).toEqual(updated);
    expect(recent.every((e) => e.updatedAt === now && e.record().note === 'changed')).toBe(true);
    const inserted = insertRecords(s, 'orders', 2);
    expect(inserted).toEqual(['gid://shopify/Order/5100000002000', 'gid://shopify/Order/5100000002001']);
    expect(listEntries(s, 'orders', { createdAtMin: now }).map((e) => e.gid)).toEqual(inserted);
    const [gone] = deleteRecords(s, 'orders', { gids: [updated[0] as string] });
    expect(listEntries(s, 'orders').some((e) => e.gid === gone)).toBe(false);
    expect(listEntries(s, 'orders')).toHaveLength(2001);
    const product = listEntries(s, 'products')[0];
    deleteRecords(s, 'products', { gids: [product?.gid as string] });
    expect(listEntries(s, 'productVariants').some((v) => materialize(v.record()).product && (materialize(v.record()).product as { id: string }).id === product?.gid)).toBe(false);
  });
});
