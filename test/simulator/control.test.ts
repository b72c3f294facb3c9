/** The HTTP control API mirrors the in-process control surface. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { exportAll, gql, gqlRaw, lines, start } from './helpers.js';
import type { Json } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ orders: 500 });
});
afterAll(async () => {
  await sim.close();
});

async function control(method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${sim.url}/__simulator${path}`, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  expect(res.headers.get('content-type')).toContain('application/json');
  const json = (await res.json()) as Json;
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(json)}`);
  return json;
}

describe('control API', () => {
  it('health, reset and seed', async () => {
    expect(await control('GET', '/health')).toEqual({ ok: true, url: sim.url });
    expect((await control('POST', '/store/seed', { seed: 3, orders: 50 })).sizes).toMatchObject({ orders: 50, products: 5, customers: 13 });
    expect((await control('GET', '/store/orders')).count).toBe(50);
    await control('POST', '/reset', { orders: 500, seed: 1 });
    expect((await control('GET', '/store')).sizes.orders).toBe(500);
  });

  it('lists, updates, inserts and deletes records; an incremental window sees exactly the changes', async () => {
    await control('POST', '/clock', { set: '2026-10-01T12:00:00Z' });
    const since = '2026-10-01T00:00:00Z';
    const updated = (await control('POST', '/store/orders/update', { count: 7, patch: { note: 'edited via control' } })).gids as string[];
    const inserted = (await control('POST', '/store/orders/insert', { count: 2 })).gids as string[];
    const deleted = (await control('POST', '/store/orders/delete', { gids: [updated[0]] })).gids as string[];
    expect(deleted).toEqual([updated[0]]);
    const window = await control('GET', `/store/orders?updatedAtMin=${since}&full=1`);
    expect(window.count).toBe(8);
    expect(window.entries.map((e: Json) => e.gid).sort()).toEqual([...updated.slice(1), ...inserted].sort());
    expect(window.entries[0].record.note).toBe('edited via control');
    const { text } = await exportAll(sim, `{ orders(query: "updated_at:>='${since}'", sortKey: UPDATED_AT) { edges { node { id updatedAt note } } } }`);
    const rows = lines(text);
    expect(rows.map((r) => r.id).sort()).toEqual(window.entries.map((e: Json) => e.gid).sort());
    expect(rows.every((r) => r.updatedAt === '2026-10-01T12:00:00Z')).toBe(true);
  });

  it('moves and freezes the clock', async () => {
    const frozen = await control('POST', '/clock', { set: '2030-01-01T00:00:00Z', freeze: true });
    expect(frozen).toMatchObject({ now: '2030-01-01T00:00:00Z', frozen: true });
    expect((await control('POST', '/clock', { advanceMs: 1500 })).now).toBe('2030-01-01T00:00:01Z');
    await control('POST', '/clock', { freeze: false });
    expect((await control('GET', '/clock')).frozen).toBe(false);
  });

  it('injects faults, logs requests with kinds and bulk ids, sets scopes, timings and throttling', async () => {
    await control('POST', '/reset', {});
    const { id } = await control('POST', '/faults', { match: 'bulkOperationRunQuery', action: { type: 'http', status: 502 } });
    expect((await control('GET', '/faults')).faults[0]).toMatchObject({ id, remaining: 1 });
    expect((await gqlRaw(sim, 'mutation { bulkOperationRunQuery(query: "{ orders { edges { node { id } } } }") { bulkOperation { id } } }')).status).toBe(502);
    const { op } = await exportAll(sim, '{ orders { edges { node { id } } } }');
    await gql(sim, 'mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }', { variables: { id: op.id } });
    const log = (await control('GET', '/requests')).requests as Json[];
    expect(log[0]).toMatchObject({ kind: 'bulkOperationRunQuery', status: 502, fault: 'http 502' });
    expect(log[1]).toMatchObject({ kind: 'bulkOperationRunQuery', status: 200, bulkOperationId: op.id });
    expect(log.filter((r) => r.kind === 'poll').every((r) => r.bulkOperationId === op.id)).toBe(true);
    expect(log.some((r) => r.kind === 'download' && r.bulkOperationId === op.id)).toBe(true);
    expect(log.at(-1)).toMatchObject({ kind: 'cancel', bulkOperationId: op.id });
    expect(typeof log[0]?.time).toBe('string');
    await control('DELETE', '/requests');
    expect((await control('GET', '/requests')).requests).toEqual([]);

    await control('POST', '/tokens', { token: 'limited', scopes: ['read_products'] });
    expect((await gql(sim, '{ currentAppInstallation { accessScopes { handle } } }', { token: 'limited' })).data.currentAppInstallation.accessScopes).toEqual([{ handle: 'read_products' }]);
    expect((await control('POST', '/timings', { runningMs: 1234 })).runningMs).toBe(1234);
    await control('POST', '/timings', { runningMs: 0 });
    await control('POST', '/clock', { freeze: true });
    await control('POST', '/throttle', { token: sim.accessToken, currentlyAvailable: 0 });
    expect((await gql(sim, '{ shop { id } }')).errors[0].extensions.code).toBe('THROTTLED');
    await control('POST', '/clock', { freeze: false });
    const foreign = await control('POST', '/bulk/foreign', { holdMs: 1000 });
    expect(foreign.status).toBe('RUNNING');
    expect((await control('POST', '/bulk/cancel', { id: foreign.id })).status).toBe('CANCELED');
    expect((await control('GET', '/bulk')).operations.map((o: Json) => o.id)).toContain(foreign.id);
    await control('DELETE', '/faults');
  });

  it('answers unknown routes and bad input with JSON errors', async () => {
    await expect(control('GET', '/nope')).rejects.toThrow(/404/);
    await expect(control('GET', '/store/widgets')).rejects.toThrow(/unknown resource type/);
  });
});
