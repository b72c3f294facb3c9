/**
 * Read scenarios over real HTTP against the simulator, in process (so timings can be tuned): job
 * concurrency, reassembly of grouped and ungrouped results, adaptive splitting, and every failure
 * path, each showing the error or the recovery and that state never moves past unread data.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { ALL_SCOPES } from '../../../src/simulator/auth.js';
import { expectValidMessages } from '../../support/protocol.js';
import { catalogFor, expectedGids, finalState, ids, logs, readInProcess, records, simConfig, states, statuses } from './harness.js';

let sim: Simulator;
const FAST = { createdMs: 0, runningMs: 0, perObjectMs: 0, cancelMs: 0, counterStep: 1000 };

beforeAll(async () => {
  sim = await startSimulator({ orders: 120, seed: 7, clockStart: '2026-08-01T00:00:00Z', timings: FAST });
});
afterAll(async () => sim?.close());
beforeEach(() => {
  sim.reset();
  sim.setTimings(FAST);
  sim.setScopes(ALL_SCOPES);
  sim.setThrottle({ maximumAvailable: 2000, restoreRate: 100 });
});

const unique = (xs: string[]): string[] => [...new Set(xs)].sort();

describe('read scenarios', () => {
  it('runs five streams’ jobs at the same time', async () => {
    // With the simulator clock stopped no job can finish: all five submissions must still happen.
    sim.setTimings({ runningMs: 300 });
    sim.clock.freeze(true);
    const names = ['orders', 'products', 'customers', 'inventory_items', 'collections'];
    const reading = readInProcess(simConfig(sim, { bulk_window_in_days: 3650 }), catalogFor(names));
    const submitted = () => sim.requests().filter((r) => r.kind === 'bulkOperationRunQuery' && r.status === 200).length;
    for (let i = 0; i < 1000 && submitted() < 5; i++) await new Promise((r) => setTimeout(r, 20));
    expect(submitted()).toBe(5);
    expect(sim.jobs().filter((j) => j.status === 'COMPLETED')).toHaveLength(0);
    sim.clock.freeze(false);
    const { messages, error } = await reading;
    expect(error).toBeUndefined();
    expectValidMessages(messages);
    expect(sim.requests().filter((r) => r.kind === 'bulkOperationRunQuery')).toHaveLength(5);
    for (const name of names) {
      const st = statuses(messages, name);
      expect(st[0]).toBe('STARTED');
      expect(st.at(-1)).toBe('COMPLETE');
      expect(st.slice(1, -1).every((s) => s === 'RUNNING')).toBe(true);
    }
    expect(ids(messages, 'orders')).toEqual(expectedGids(sim, 'orders'));
  });

  it('reassembles ungrouped results (spilled to disk) exactly like grouped ones', async () => {
    const catalog = catalogFor(['orders', 'products']);
    const grouped = await readInProcess(simConfig(sim), catalog);
    const jobsBefore = sim.jobs().length;
    const ungrouped = await readInProcess(simConfig(sim), catalog, undefined, { deps: { groupObjects: false, spill: { memoryLimitBytes: 4096, bucketCount: 4 } } });
    expect(grouped.error).toBeUndefined();
    expect(ungrouped.error).toBeUndefined();
    expectValidMessages(ungrouped.messages);
    const byId = (rs: Array<Record<string, unknown>>) => [...rs].sort((a, b) => String(a.admin_graphql_api_id).localeCompare(String(b.admin_graphql_api_id)));
    expect(byId(records(ungrouped.messages, 'orders'))).toEqual(byId(records(grouped.messages, 'orders')));
    expect(byId(records(ungrouped.messages, 'products'))).toEqual(byId(records(grouped.messages, 'products')));
    expect(records(grouped.messages, 'orders').some((o) => Array.isArray(o.line_items) && o.line_items.length > 1)).toBe(true);
    // the files really were ungrouped: some child is not directly below its parent's group
    let interleaved = false;
    for (const job of sim.jobs().slice(jobsBefore)) {
      if (!job.url) continue;
      const lines = (await (await fetch(job.url)).text()).trim().split('\n').map((l) => JSON.parse(l) as { id: string; __parentId?: string });
      let root: string | undefined;
      for (const l of lines) {
        if (!l.__parentId) root = l.id;
        else if (l.__parentId !== root && !lines.some((p) => p.id === l.__parentId && p.__parentId === root)) interleaved = true;
      }
    }
    expect(interleaved).toBe(true);
  });

  it('splits a window whose job passes job_checkpoint_interval, and loses nothing', async () => {
    sim.setTimings({ runningMs: 1000, counterStep: 5 });
    const { messages, error } = await readInProcess(simConfig(sim, { job_checkpoint_interval: 200, bulk_window_in_days: 3650 }), catalogFor(['orders']));
    expect(error).toBeUndefined();
    expect(logs(messages).some((l) => /cancelling bulk operation .*job_checkpoint_interval/.test(l))).toBe(true);
    expect(sim.requests().some((r) => r.kind === 'cancel')).toBe(true);
    const got = ids(messages, 'orders');
    expect(got).toEqual(unique(got)); // cancelled jobs emit nothing, so no duplicates
    expect(got).toEqual(expectedGids(sim, 'orders'));
    expect(states(messages, 'orders').reduce((n, s) => n + (s.sourceStats?.recordCount ?? 0), 0)).toBe(got.length);
  });

  it('keeps emitting windows in order when later windows split while an earlier one is still queued', async () => {
    // The first five windows' jobs fail and split while later windows run ahead: the halves of a
    // later window must never take the places that the earliest unread window needs (that deadlocked).
    sim.faults.add({ action: { type: 'jobFailed', errorCode: 'INTERNAL_SERVER_ERROR' }, count: 5 });
    const { messages, error } = await readInProcess(simConfig(sim, { bulk_window_in_days: 200, max_concurrent_bulk_operations: 5 }), catalogFor(['orders']));
    expect(error).toBeUndefined();
    expect(logs(messages).filter((l) => /retrying as two smaller windows/.test(l))).toHaveLength(5);
    const got = ids(messages, 'orders');
    expect(got).toEqual(unique(got));
    expect(got).toEqual(expectedGids(sim, 'orders'));
    // The cursor only moves forward.
    const cursors = states(messages, 'orders').map((s) => String((s.stream?.stream_state as Record<string, unknown>).updated_at ?? ''));
    expect(cursors).toEqual([...cursors].sort());
  }, 60_000);

  it('halves the windows still queued after cutting one, instead of letting each hit the same limit', async () => {
    // One bulk operation at a time: each window either passes the checkpoint (and is cut) or not. Once
    // the first window was cut, the later ones start at half its size, so cuts stay far below one per window.
    sim.setTimings({ runningMs: 300, counterStep: 4 });
    const config = simConfig(sim, { job_checkpoint_interval: 80, bulk_window_in_days: 400, max_concurrent_bulk_operations: 1, api_version: '2025-01' });
    const { messages, error } = await readInProcess(config, catalogFor(['orders']));
    expect(error).toBeUndefined();
    const planned = Math.ceil((Date.parse('2026-08-01') - Date.parse('2021-01-01')) / (400 * 86_400_000));
    const cuts = sim.requests().filter((r) => r.kind === 'cancel').length;
    expect(cuts).toBeGreaterThan(0);
    expect(cuts).toBeLessThan(planned);
    const got = ids(messages, 'orders');
    expect(got).toEqual(unique(got));
    expect(got).toEqual(expectedGids(sim, 'orders'));
  }, 60_000);

  it('retries a TIMEOUT or INTERNAL_SERVER_ERROR job with smaller windows', async () => {
    sim.faults.add({ action: { type: 'jobFailed', errorCode: 'TIMEOUT', afterObjects: 10 } });
    sim.faults.add({ action: { type: 'jobFailed', errorCode: 'INTERNAL_SERVER_ERROR' } });
    const { messages, error } = await readInProcess(simConfig(sim, { bulk_window_in_days: 3650 }), catalogFor(['orders']));
    expect(error).toBeUndefined();
    const text = logs(messages).join('\n');
    expect(text).toMatch(/failed with TIMEOUT; retrying as two smaller windows/);
    expect(text).toMatch(/failed with INTERNAL_SERVER_ERROR; retrying as two smaller windows/);
    expect(unique(ids(messages, 'orders'))).toEqual(expectedGids(sim, 'orders'));
  });

  it('reports a window that keeps failing, and keeps state before it', async () => {
    sim.faults.add({ action: { type: 'jobFailed', errorCode: 'TIMEOUT' }, count: 1000 });
    const prior = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'orders' }, stream_state: { updated_at: '2025-01-01T00:00:00+00:00' } } }];
    const { messages, error } = await readInProcess(simConfig(sim, { bulk_window_in_days: 3650 }), catalogFor(['orders']), prior);
    expectValidMessages(messages);
    expect(error?.message).toMatch(/orders \[20\d\d-[^)]*Z\) kept failing \(4 attempts, last: bulk operation .* failed with TIMEOUT\)/);
    expect(records(messages, 'orders')).toHaveLength(0);
    // Each attempt records its job in a STATE; the cursor never moves and the last STATE names no job.
    const blobs = states(messages, 'orders').map((s) => s.stream?.stream_state as Record<string, unknown>);
    expect(new Set(blobs.map((b) => b.updated_at))).toEqual(new Set(['2025-01-01T00:00:00+00:00']));
    expect(blobs.at(-1)).toEqual({ updated_at: '2025-01-01T00:00:00+00:00' });
    expect(statuses(messages, 'orders').at(-1)).toBe('INCOMPLETE');
  });

  it('fails only the stream whose job is ACCESS_DENIED, as a config error', async () => {
    sim.setScopes(['read_orders', 'read_products']);
    const { messages, error } = await readInProcess(simConfig(sim), catalogFor(['orders', 'customers']));
    expectValidMessages(messages);
    expect(error).toMatchObject({ failureType: 'config_error' });
    expect(error?.message).toMatch(/customers .*ACCESS_DENIED/);
    expect(statuses(messages, 'customers').at(-1)).toBe('INCOMPLETE');
    expect(statuses(messages, 'orders').at(-1)).toBe('COMPLETE');
    expect(ids(messages, 'orders')).toEqual(expectedGids(sim, 'orders'));
    const trace = messages.find((m) => m.type === 'TRACE' && m.trace.type === 'ERROR');
    expect(trace).toMatchObject({ trace: { error: { failure_type: 'config_error', stream_descriptor: { name: 'customers' } } } });
    const blobs = states(messages, 'customers').map((s) => s.stream?.stream_state as Record<string, unknown>);
    expect(blobs.every((b) => b.updated_at === undefined)).toBe(true);
    expect(blobs.at(-1)).toEqual({});
  });

  it('waits for a foreign job holding the only slot and never cancels it', async () => {
    const foreign = sim.foreignJob(3000);
    const { messages, error } = await readInProcess(simConfig(sim, { api_version: '2025-01' }), catalogFor(['orders']));
    expect(error).toBeUndefined();
    expect(logs(messages).some((l) => /every bulk operation slot is taken/.test(l))).toBe(true);
    expect(sim.requests().filter((r) => r.kind === 'cancel')).toHaveLength(0);
    expect(sim.jobs().find((j) => j.id === foreign.id)?.status).not.toMatch(/CANCEL/);
    expect(ids(messages, 'orders')).toEqual(expectedGids(sim, 'orders'));
  });

  it.each([
    ['grouped', {}],
    ['ungrouped and spilled to disk', { groupObjects: false, spill: { memoryLimitBytes: 4096 } }],
  ])('gives the same records, order and states through parse worker threads as on the main thread (%s)', async (_, deps) => {
    const catalog = catalogFor(['orders', 'products']);
    const config = simConfig(sim, { bulk_window_in_days: 3650 });
    const single = await readInProcess(config, catalog, undefined, { deps: { ...deps, parallel: { workers: 0 } } });
    const parallel = await readInProcess(config, catalog, undefined, { deps: { ...deps, parallel: { workers: 2, minLines: 0, blockBytes: 2048 } } });
    expect(single.error).toBeUndefined();
    expect(parallel.error).toBeUndefined();
    expectValidMessages(parallel.messages);
    expect(records(single.messages, 'orders').some((o) => Array.isArray(o.line_items) && o.line_items.length > 1)).toBe(true);
    // The STATEs' cursors and job ids differ between two syncs; where each STATE falls among the
    // records, and the counts it carries, must not.
    const shape = (messages: typeof single.messages, stream: string): string[] =>
      messages.flatMap((m) =>
        m.type === 'RECORD' && m.record.stream === stream ? ['R'] : m.type === 'STATE' && m.state.stream?.stream_descriptor.name === stream ? [`S${m.state.sourceStats?.recordCount ?? ''}`] : [],
      );
    for (const stream of ['orders', 'products']) {
      expect(records(parallel.messages, stream)).toEqual(records(single.messages, stream));
      expect(shape(parallel.messages, stream)).toEqual(shape(single.messages, stream));
      expect(states(parallel.messages, stream).length).toBeGreaterThan(0);
    }
    expect(logs(parallel.messages).join('\n')).toMatch(/orders.*: parsing \d+ lines in 2 worker thread/);
    expect(logs(single.messages).join('\n')).not.toMatch(/worker thread/);
  });

  it('reads a window again on the main thread when a parse worker runs out of heap', async () => {
    const catalog = catalogFor(['orders']);
    const config = simConfig(sim, { bulk_window_in_days: 3650 });
    const single = await readInProcess(config, catalog, undefined, { deps: { parallel: { workers: 0 } } });
    // A heap no worker can even start in: every block fails with WorkerHeapError.
    const starved = await readInProcess(config, catalog, undefined, { deps: { parallel: { workers: 2, minLines: 0, oldGenerationMb: 1 } } });
    expect(starved.error).toBeUndefined();
    expect(logs(starved.messages).join('\n')).toMatch(/did not fit a parse worker’s heap; reading it again on the main thread/);
    expect(records(starved.messages, 'orders')).toEqual(records(single.messages, 'orders'));
  });

  it('resumes a download cut mid-file without losing or repeating records', async () => {
    sim.faults.add({ match: 'download', action: { type: 'downloadCut', afterBytes: 3000 } });
    const { messages, error } = await readInProcess(simConfig(sim, { bulk_window_in_days: 3650 }), catalogFor(['orders']));
    expect(error).toBeUndefined();
    const downloads = sim.requests().filter((r) => r.kind === 'download');
    expect(downloads.length).toBeGreaterThan(1);
    expect(downloads.some((r) => r.status === 206)).toBe(true); // resumed with a Range request
    expect(ids(messages, 'orders')).toEqual(expectedGids(sim, 'orders'));
  });

  it('treats a short or truncated file as an error and reads the window again', async () => {
    // A proxy that loses data: first the last line (count mismatch), then the end of a line, with no
    // length to check and a refused resume (the file really ends there).
    let served = 0;
    const lossy: typeof fetch = async (input, init) => {
      const download = String(input).includes('/bulk') && init?.method !== 'POST';
      const ranged = new Headers(init?.headers).has('range');
      if (download && ranged && served === 2) return new Response(null, { status: 416 });
      const res = await fetch(input, init);
      if (!download || ranged || served >= 2) return res;
      served++;
      const text = await res.text();
      const body = served === 1 ? text.split('\n').slice(0, -2).join('\n') + '\n' : text.slice(0, text.length - 20);
      return new Response(body, { status: 200 });
    };
    const { messages, error } = await readInProcess(simConfig(sim, { bulk_window_in_days: 3650 }), catalogFor(['orders']), undefined, { deps: { fetch: lossy } });
    expect(error).toBeUndefined();
    const text = logs(messages).join('\n');
    expect(text).toMatch(/lines but Shopify reported objectCount/);
    expect(text).toMatch(/ends in the middle of a line/);
    expect(served).toBe(2);
    expect(unique(ids(messages, 'orders'))).toEqual(expectedGids(sim, 'orders'));
    // no STATE moved the cursor before the good attempt finished: the first that does comes after every record
    const firstState = messages.findIndex((m) => m.type === 'STATE' && (m.state.stream?.stream_state as Record<string, unknown>).updated_at !== undefined);
    const lastRecord = messages.map((m) => m.type).lastIndexOf('RECORD');
    expect(firstState).toBeGreaterThan(lastRecord);
  });

  it('gives zero records and a STATE for an empty window (url null) and for a state from the future', async () => {
    const empty = await readInProcess(simConfig(sim, { start_date: '2026-07-15' }), catalogFor(['collections']));
    expect(empty.error).toBeUndefined();
    expect(sim.jobs().every((j) => j.url === null)).toBe(true);
    expect(records(empty.messages)).toHaveLength(0);
    expect(states(empty.messages, 'collections').length).toBeGreaterThan(0);
    const future = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'orders' }, stream_state: { updated_at: '2099-01-01T00:00:00+00:00' } } }];
    const { messages, error } = await readInProcess(simConfig(sim), catalogFor(['orders']), future);
    expect(error).toBeUndefined();
    expectValidMessages(messages);
    expect(records(messages)).toHaveLength(0);
    expect(states(messages, 'orders')).toEqual([
      { type: 'STREAM', stream: { stream_descriptor: { name: 'orders' }, stream_state: { updated_at: '2099-01-01T00:00:00+00:00' } }, sourceStats: { recordCount: 0 } },
    ]);
    expect(statuses(messages, 'orders')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(finalState(messages)).toHaveLength(1);
  });

  it('cancels its own jobs, and only those, when the sync is stopped', async () => {
    sim.setTimings({ runningMs: 60_000 });
    const foreign = sim.foreignJob(60_000);
    const controller = new AbortController();
    const reading = readInProcess(simConfig(sim, { bulk_window_in_days: 3650 }), catalogFor(['orders', 'products']), undefined, {}, controller.signal);
    while (sim.requests().filter((r) => r.kind === 'poll').length < 2) await new Promise((r) => setTimeout(r, 20));
    controller.abort(new Error('Stopped by SIGTERM'));
    const { error } = await reading;
    expect(error).toBeDefined();
    for (let i = 0; i < 500 && sim.requests().filter((r) => r.kind === 'cancel').length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    const ours = sim.jobs().filter((j) => j.id !== foreign.id);
    expect(ours).toHaveLength(2);
    for (const job of ours) expect(job.status).toMatch(/CANCEL/);
    expect(sim.jobs().find((j) => j.id === foreign.id)?.status).not.toMatch(/CANCEL/);
  });

  it('paces requests by the cost bucket instead of running into THROTTLED', async () => {
    sim.setThrottle({ maximumAvailable: 60, restoreRate: 200 });
    const { error } = await readInProcess(simConfig(sim, { bulk_window_in_days: 365 }), catalogFor(['orders', 'products', 'customers']));
    expect(error).toBeUndefined();
    const graphql = sim.requests().filter((r) => r.kind !== 'download');
    expect(graphql.length).toBeGreaterThan(20);
    expect(graphql.filter((r) => r.throttled).length).toBeLessThanOrEqual(1); // at most the first, before the bucket is known
  });
});
