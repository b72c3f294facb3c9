/** Every injectable fault happens as configured. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { POLL, exportAll, gql, gqlRaw, lines, runBulk, start, waitDone } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ orders: 2000 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
});

const ORDERS = '{ orders { edges { node { id lineItems { edges { node { id } } } } } } }';
const SHOP = '{ shop { name } }';

describe('HTTP faults', () => {
  it('429 with Retry-After for the configured number of matching requests', async () => {
    sim.faults.add({ match: 'query', action: { type: 'http', status: 429, retryAfter: 3 }, count: 2 });
    for (let i = 0; i < 2; i += 1) {
      const res = await gqlRaw(sim, SHOP);
      expect(res.status).toBe(429);
      expect(res.headers.get('retry-after')).toBe('3');
      expect(await res.json()).toEqual({ errors: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.' });
    }
    expect((await gqlRaw(sim, SHOP)).status).toBe(200);
    expect(sim.requests().map((r) => r.status)).toEqual([429, 429, 200]);
  });

  for (const status of [500, 502, 503, 504]) {
    it(`HTTP ${status}`, async () => {
      sim.faults.add({ match: 'any', action: { type: 'http', status } });
      const res = await gqlRaw(sim, SHOP);
      expect(res.status).toBe(status);
      expect((await gqlRaw(sim, SHOP)).status).toBe(200);
    });
  }

  it('only matching kinds and paths are affected; skip lets requests through first', async () => {
    sim.faults.add({ match: 'poll', path: '/2026-07/', action: { type: 'http', status: 503 }, skip: 1 });
    expect((await gqlRaw(sim, SHOP)).status).toBe(200);
    const run = await runBulk(sim, ORDERS);
    const id = run.bulkOperation.id as string;
    expect((await gqlRaw(sim, POLL, { variables: { id }, version: '2026-04' })).status).toBe(200);
    expect((await gqlRaw(sim, POLL, { variables: { id } })).status).toBe(200);
    expect((await gqlRaw(sim, POLL, { variables: { id } })).status).toBe(503);
    expect((await gqlRaw(sim, POLL, { variables: { id } })).status).toBe(200);
  });

  it('resets the connection mid-response', async () => {
    sim.faults.add({ match: 'query', action: { type: 'reset' } });
    await expect(gqlRaw(sim, SHOP).then((res) => res.text())).rejects.toThrow();
    expect(sim.requests()[0]).toMatchObject({ kind: 'query', fault: 'reset' });
    expect((await gql(sim, SHOP)).data.shop.name).toBe('simulator-shop');
  });

  it('slows a response down', async () => {
    sim.faults.add({ match: 'query', action: { type: 'slow', delayMs: 300 } });
    const started = Date.now();
    expect((await gql(sim, SHOP)).data.shop.name).toBe('simulator-shop');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('answers THROTTLED on demand', async () => {
    sim.faults.add({ match: 'poll', action: { type: 'throttled' } });
    const body = await gql(sim, '{ currentBulkOperation { id } }');
    expect(body.errors[0].extensions.code).toBe('THROTTLED');
    expect(body.extensions.cost.actualQueryCost).toBeNull();
    expect(sim.requests()[0]).toMatchObject({ kind: 'poll', throttled: true });
  });
});

describe('bulk job faults', () => {
  it('FAILED with ACCESS_DENIED and no partial data', async () => {
    sim.faults.add({ action: { type: 'jobFailed', errorCode: 'ACCESS_DENIED' } });
    const run = await runBulk(sim, ORDERS);
    const op = await waitDone(sim, run.bulkOperation.id);
    expect(op).toMatchObject({ status: 'FAILED', errorCode: 'ACCESS_DENIED', url: null, partialDataUrl: null, completedAt: null });
  });

  it('FAILED with INTERNAL_SERVER_ERROR keeps partial data at partialDataUrl', async () => {
    sim.faults.add({ action: { type: 'jobFailed', errorCode: 'INTERNAL_SERVER_ERROR', afterObjects: 500 } });
    const run = await runBulk(sim, ORDERS);
    const op = await waitDone(sim, run.bulkOperation.id);
    expect(op).toMatchObject({ status: 'FAILED', errorCode: 'INTERNAL_SERVER_ERROR', url: null });
    const partial = lines(await (await fetch(op.partialDataUrl)).text());
    expect(partial.length).toBeGreaterThanOrEqual(500);
    expect(partial.length).toBeLessThan(sim.store.count('orders'));
    expect(String(partial.length)).toBe(op.objectCount);
  });

  it('FAILED with TIMEOUT', async () => {
    sim.faults.add({ action: { type: 'jobFailed', errorCode: 'TIMEOUT' } });
    const op = await waitDone(sim, (await runBulk(sim, ORDERS)).bulkOperation.id);
    expect(op).toMatchObject({ status: 'FAILED', errorCode: 'TIMEOUT' });
    expect(op.partialDataUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/bulk-operation-outputs\//);
  });

  it('a job is CANCELED by someone else (fault and control)', async () => {
    sim.faults.add({ action: { type: 'jobCanceled', afterObjects: 100 } });
    const op = await waitDone(sim, (await runBulk(sim, ORDERS)).bulkOperation.id);
    expect(op).toMatchObject({ status: 'CANCELED', url: null, completedAt: null });
    sim.setTimings({ runningMs: 3_600_000 });
    try {
      const run = await runBulk(sim, ORDERS);
      expect(sim.cancelJob(run.bulkOperation.id)?.status).toBe('CANCELING');
      expect((await waitDone(sim, run.bulkOperation.id)).status).toBe('CANCELED');
    } finally {
      sim.setTimings({ runningMs: 0 });
    }
  });

  it('a foreign job holds the only slot until it finishes', async () => {
    const foreign = sim.foreignJob(60_000);
    const blocked = await runBulk(sim, ORDERS, { version: '2025-01' });
    expect(blocked.userErrors).toEqual([{ field: null, code: 'OPERATION_IN_PROGRESS', message: `A bulk query operation for this app and shop is already in progress: ${foreign.id}.` }]);
    const other = await runBulk(sim, ORDERS, { version: '2026-07' });
    expect(other.userErrors).toEqual([]);
    await waitDone(sim, other.bulkOperation.id);
    expect((await runBulk(sim, ORDERS, { version: '2025-01' })).userErrors[0]?.code).toBe('OPERATION_IN_PROGRESS');
    sim.clock.advance(60_000);
    expect((await runBulk(sim, ORDERS, { version: '2025-01' })).bulkOperation).not.toBeNull();
  });

  it('a missing scope fails the bulk job with ACCESS_DENIED and denies the plain query', async () => {
    sim.setScopes(['read_products']);
    try {
      const op = await waitDone(sim, (await runBulk(sim, ORDERS)).bulkOperation.id);
      expect(op).toMatchObject({ status: 'FAILED', errorCode: 'ACCESS_DENIED', partialDataUrl: null });
      const body = await gql(sim, '{ orders(first: 1) { edges { node { id } } } }');
      expect(body.data).toBeNull();
      expect(body.errors[0]).toMatchObject({ message: 'Access denied for orders field. Required access: `read_orders` access scope.', extensions: { code: 'ACCESS_DENIED' } });
      const scopes = await gql(sim, '{ currentAppInstallation { accessScopes { handle } } }');
      expect(scopes.data.currentAppInstallation.accessScopes).toEqual([{ handle: 'read_products' }]);
    } finally {
      sim.reset();
      sim.setScopes(['read_orders', 'read_all_orders', 'read_products', 'read_customers', 'read_inventory', 'read_locations']);
    }
  });
});

describe('faults aimed at one bulk query', () => {
  const PRODUCTS = '{ products { edges { node { id } } } }';

  it('a `query` rule hits only the jobs, polls and downloads of the matching bulk query', async () => {
    const only = '\\{ products \\{';
    const failId = sim.faults.add({ query: only, action: { type: 'jobFailed', errorCode: 'INTERNAL_SERVER_ERROR' } });
    sim.faults.add({ match: 'poll', query: only, action: { type: 'http', status: 503 } });
    sim.faults.add({ match: 'download', query: only, action: { type: 'urlExpired' } });
    const orders = await exportAll(sim, ORDERS);
    expect(orders.op.status).toBe('COMPLETED');
    expect(sim.requests().filter((r) => r.fault)).toEqual([]);
    const run = await runBulk(sim, PRODUCTS);
    expect((await gqlRaw(sim, POLL, { variables: { id: run.bulkOperation.id } })).status).toBe(503);
    expect(await waitDone(sim, run.bulkOperation.id)).toMatchObject({ status: 'FAILED', errorCode: 'INTERNAL_SERVER_ERROR' });
    expect(sim.faults.list().find((f) => f.id === failId)?.remaining).toBe(0);
    const again = await waitDone(sim, (await runBulk(sim, PRODUCTS)).bulkOperation.id);
    expect((await fetch(again.url)).status).toBe(400);
    expect((await fetch(again.url)).status).toBe(200);
  });

  it('FAILED without partial data when `partialData` is false', async () => {
    sim.faults.add({ action: { type: 'jobFailed', errorCode: 'INTERNAL_SERVER_ERROR', partialData: false } });
    const op = await waitDone(sim, (await runBulk(sim, ORDERS)).bulkOperation.id);
    expect(op).toMatchObject({ status: 'FAILED', errorCode: 'INTERNAL_SERVER_ERROR', url: null, partialDataUrl: null });
    expect(Number(op.objectCount)).toBeGreaterThan(0);
  });

  it('a job told to fail after a few objects leaves a partial file of about that many', async () => {
    sim.faults.add({ action: { type: 'jobFailed', errorCode: 'INTERNAL_SERVER_ERROR', afterObjects: 3 } });
    const op = await waitDone(sim, (await runBulk(sim, ORDERS)).bulkOperation.id);
    const partial = lines(await (await fetch(op.partialDataUrl)).text());
    expect(partial.length).toBeGreaterThanOrEqual(3);
    expect(partial.filter((l) => !('__parentId' in l)).length).toBeLessThanOrEqual(3);
    expect(String(partial.length)).toBe(op.objectCount);
  });

  it('COMPLETED with url null while objectCount says there were results', async () => {
    sim.faults.add({ action: { type: 'nullUrl' } });
    const op = await waitDone(sim, (await runBulk(sim, ORDERS)).bulkOperation.id);
    expect(op).toMatchObject({ status: 'COMPLETED', url: null });
    expect(Number(op.objectCount)).toBeGreaterThan(0);
  });

  it('a submission refused as busy does not use up a job fault', async () => {
    sim.foreignJob(60_000);
    sim.faults.add({ action: { type: 'jobFailed', errorCode: 'TIMEOUT' } });
    expect((await runBulk(sim, ORDERS, { version: '2025-01' })).userErrors[0]?.code).toBe('OPERATION_IN_PROGRESS');
    sim.clock.advance(60_000);
    const op = await waitDone(sim, (await runBulk(sim, ORDERS, { version: '2025-01' })).bulkOperation.id, { version: '2025-01' });
    expect(op).toMatchObject({ status: 'FAILED', errorCode: 'TIMEOUT' });
  });
});

describe('download faults', () => {
  it('a download is cut off midway', async () => {
    const { op } = await exportAll(sim, ORDERS);
    sim.faults.add({ match: 'download', action: { type: 'downloadCut', afterBytes: 1000 } });
    const res = await fetch(op.url, { headers: { 'accept-encoding': 'identity' } });
    expect(res.headers.get('content-length')).toBe(op.fileSize);
    await expect(res.text()).rejects.toThrow();
    const again = await (await fetch(op.url, { headers: { 'accept-encoding': 'identity' } })).text();
    expect(String(Buffer.byteLength(again))).toBe(op.fileSize);
  });

  it('a connection reset mid-download delivers only a prefix of the real file', async () => {
    const { op } = await exportAll(sim, ORDERS);
    sim.faults.add({ match: 'download', action: { type: 'reset' } });
    const res = await fetch(op.url, { headers: { 'accept-encoding': 'identity' } });
    const got: Buffer[] = [];
    await expect((async () => {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) got.push(Buffer.from(chunk));
    })()).rejects.toThrow();
    const whole = Buffer.from(await (await fetch(op.url, { headers: { 'accept-encoding': 'identity' } })).arrayBuffer());
    const prefix = Buffer.concat(got);
    expect(prefix.length).toBeGreaterThan(0);
    expect(prefix.length).toBeLessThan(whole.length);
    expect(whole.subarray(0, prefix.length).equals(prefix)).toBe(true);
  });

  it('an expired url is refused', async () => {
    const { op } = await exportAll(sim, ORDERS);
    sim.faults.add({ match: 'download', action: { type: 'urlExpired' } });
    const res = await fetch(op.url);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('ExpiredToken');
    expect((await fetch(op.url, { method: 'HEAD' })).status).toBe(200);
  });

  it('HTTP errors on downloads', async () => {
    const { op } = await exportAll(sim, ORDERS);
    sim.faults.add({ match: 'download', action: { type: 'http', status: 503 } });
    expect((await fetch(op.url)).status).toBe(503);
    expect(sim.requests().at(-1)).toMatchObject({ kind: 'download', status: 503, bulkOperationId: op.id });
  });
});
