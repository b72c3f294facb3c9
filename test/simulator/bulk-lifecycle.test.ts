/** Reference §1.2, §1.3, §1.9: the job lifecycle on the simulator clock. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { exportAll, gql, lines, poll, runBulk, start, waitDone } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ fast: false, timings: { createdMs: 1000, runningMs: 10_000, perObjectMs: 0, counterStep: 5 } });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.clock.freeze(true);
});

const PRODUCTS = '#graphql\n{ products { edges { node { id title } } } }';

/** Waits (in real time) until the job's writer has stopped, whatever its visible status. */
async function untilWritten(id: string): Promise<void> {
  for (let i = 0; i < 1000 && !sim.jobProgress(id)?.stopped; i += 1) await new Promise((r) => setTimeout(r, 5));
}

describe('job lifecycle', () => {
  it('returns the captured fresh shape, then CREATED → RUNNING → COMPLETED as the clock moves', async () => {
    const run = await runBulk(sim, PRODUCTS);
    expect(run.userErrors).toEqual([]);
    expect(run.bulkOperation).toMatchObject({
      status: 'CREATED', errorCode: null, completedAt: null, objectCount: '0', rootObjectCount: '0',
      fileSize: null, url: null, partialDataUrl: null, query: PRODUCTS,
    });
    expect(run.bulkOperation.id).toMatch(/^gid:\/\/shopify\/BulkOperation\/\d{13}$/);
    expect(run.bulkOperation.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const id = run.bulkOperation.id as string;
    expect((await poll(sim, id)).status).toBe('CREATED');
    sim.clock.advance(1000);
    await untilWritten(id);
    const running = await poll(sim, id);
    expect(running.status).toBe('RUNNING');
    expect(running.objectCount).toBe('20');
    expect(running.url).toBeNull();
    sim.clock.advance(10_000);
    const done = await poll(sim, id);
    expect(done).toMatchObject({ status: 'COMPLETED', objectCount: '20', rootObjectCount: '20', errorCode: null, partialDataUrl: null });
    expect(typeof done.fileSize).toBe('string');
    expect(Date.parse(done.completedAt) - Date.parse(done.createdAt)).toBe(11_000);
    const res = await fetch(done.url, { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/jsonl');
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBe(Number(done.fileSize));
    expect(lines(text)).toHaveLength(20);
  });

  it('coarse counters: objectCount moves in steps while RUNNING, even once all is written', async () => {
    sim.seed({ orders: 200, products: 103 });
    try {
      const run = await runBulk(sim, PRODUCTS);
      sim.clock.advance(1000);
      const id = run.bulkOperation.id as string;
      await untilWritten(id);
      expect(sim.jobProgress(id)).toMatchObject({ written: true, objects: 103 });
      expect(await poll(sim, id)).toMatchObject({ status: 'RUNNING', objectCount: '100' });
      sim.clock.advance(10_000);
      expect(await poll(sim, id)).toMatchObject({ status: 'COMPLETED', objectCount: '103', rootObjectCount: '103' });
    } finally {
      sim.seed({ products: undefined });
    }
  });

  it('url is null when the query produced no results', async () => {
    sim.clock.freeze(false);
    sim.setTimings({ createdMs: 0, runningMs: 0 });
    try {
      const { op } = await exportAll(sim, `{ orders(query: "updated_at:>='2099-01-01'") { edges { node { id } } } }`);
      expect(op).toMatchObject({ status: 'COMPLETED', objectCount: '0', rootObjectCount: '0', url: null, fileSize: null });
    } finally {
      sim.setTimings({ createdMs: 1000, runningMs: 10_000 });
    }
  });

  it('expires after 7 days: EXPIRED and the download is refused', async () => {
    const run = await runBulk(sim, PRODUCTS);
    sim.clock.advance(11_000);
    const id = run.bulkOperation.id as string;
    await untilWritten(id);
    const done = await waitDone(sim, id);
    const url = new URL(done.url as string);
    expect(Number(url.searchParams.get('Expires')) * 1000).toBe(Date.parse(done.completedAt) + 7 * 86_400_000);
    expect(url.searchParams.get('response-content-disposition')).toBe(`attachment; filename="bulk-${id.split('/').pop()}.jsonl"; filename*=UTF-8''bulk-${id.split('/').pop()}.jsonl`);
    sim.clock.advance(7 * 86_400_000 + 1000);
    expect((await poll(sim, id)).status).toBe('EXPIRED');
    const res = await fetch(done.url);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>ExpiredToken</Code>');
  });

  it('a tampered signature is refused', async () => {
    const run = await runBulk(sim, PRODUCTS);
    sim.clock.advance(11_000);
    await untilWritten(run.bulkOperation.id);
    const done = await waitDone(sim, run.bulkOperation.id);
    const url = new URL(done.url as string);
    url.searchParams.set('Expires', String(Number(url.searchParams.get('Expires')) + 1000));
    expect((await fetch(url)).status).toBe(403);
  });

  it('fails with TIMEOUT when it runs longer than 10 days', async () => {
    sim.setTimings({ runningMs: 11 * 86_400_000 });
    try {
      const run = await runBulk(sim, PRODUCTS);
      await untilWritten(run.bulkOperation.id);
      sim.clock.advance(10 * 86_400_000 + 2000);
      const op = await poll(sim, run.bulkOperation.id);
      expect(op).toMatchObject({ status: 'FAILED', errorCode: 'TIMEOUT', completedAt: null, url: null });
    } finally {
      sim.setTimings({ runningMs: 10_000 });
    }
  });

  it('duration is proportional to rows', async () => {
    sim.setTimings({ perObjectMs: 100 });
    try {
      const run = await runBulk(sim, PRODUCTS);
      await untilWritten(run.bulkOperation.id);
      sim.clock.advance(11_000);
      expect((await poll(sim, run.bulkOperation.id)).status).toBe('RUNNING');
      sim.clock.advance(20 * 100);
      expect((await poll(sim, run.bulkOperation.id)).status).toBe('COMPLETED');
    } finally {
      sim.setTimings({ perObjectMs: 0 });
    }
  });

  it('extensions.cost: run and cancel cost 10', async () => {
    const body = await gql(sim, `mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }") { bulkOperation { id } userErrors { message } } }`);
    expect(body.extensions.cost).toMatchObject({ requestedQueryCost: 10, actualQueryCost: 10 });
  });
});
