/**
 * Crash and resume: a multi-slice sync of two streams (`source-shopify read | destination-gcs write`,
 * real CLIs, real simulator over HTTP, the GCS emulator) is SIGKILLed at points spread over the run —
 * before any bulk job, while jobs are created and running, mid-download, between slices, mid-upload and
 * after the last message — then resumed from the last STATE the destination echoed. After the resume,
 * the records in GCS (read back with @google-cloud/storage) are exactly the store's records of the
 * window, and every duplicate lies in one slice per stream. Kill points come from observable progress
 * (messages on the pipe, the simulator's request log and job statuses, the GCS proxy's log), never
 * from sleeps. Also: a resumed sync re-attaches to its own bulk job, still running or already
 * finished, instead of starting another, and never to a job that is not in its state.
 */
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AirbyteMessage } from '../../src/protocol/messages.js';
import { startSimulator, type ResourceType, type Simulator } from '../../src/simulator/index.js';
import { queryHash } from '../../src/source/bulk/job-refs.js';
import { planWindows, windowFilter } from '../../src/source/bulk/slices.js';
import type { BulkExtraction } from '../../src/source/streams/define.js';
import { ALL_STREAMS } from '../../src/source/streams/index.js';
import { emulatorDestinationConfig, emulatorStorage, startFaultProxy, uniqueBucket, type FaultProxy } from '../support/gcs-emulator.js';
import { expectValidMessages } from '../support/protocol.js';
import { catalogFor, readInProcess, simConfig } from '../integration/source/harness.js';
import { echoedState, startPipeline, type PipeView, type PipelineRun, type Victim } from './crash-pipeline.js';

const emulatorUrl = inject('gcsEmulatorUrl');
const START = '2021-01-01T00:00:00Z';
const WINDOW_DAYS = 400;
const STREAMS: Record<string, ResourceType> = { orders: 'orders', customers: 'customers' };
const TIMINGS = { createdMs: 20, runningMs: 150, perObjectMs: 0, cancelMs: 0, counterStep: 10 };

interface KillPoint {
  name: string;
  victim: Victim;
  when: (view: PipeView, world: { sim: Simulator; proxy: FaultProxy }) => boolean;
}

const requests = (sim: Simulator, kind: string): number => sim.requests().filter((r) => r.kind === kind && r.status === 200).length;
const jobs = (sim: Simulator, status: string): number => sim.jobs().filter((j) => j.status === status).length;
const isUpload = (r: { method: string; url: string }): boolean => r.method !== 'GET' && /upload|\/o\?|uploadType/.test(r.url);

/** ≥ 20 points over the whole run; each runs with its own simulator and bucket. */
const KILL_POINTS: KillPoint[] = [
  { name: 'source, before any bulk job (after the shop query)', victim: 'source', when: (_, w) => requests(w.sim, 'query') >= 1 },
  { name: 'source, right after the first job was created', victim: 'source', when: (_, w) => requests(w.sim, 'bulkOperationRunQuery') >= 1 },
  { name: 'source, after the fourth job was created', victim: 'source', when: (_, w) => requests(w.sim, 'bulkOperationRunQuery') >= 4 },
  { name: 'source, while a job is RUNNING', victim: 'source', when: (_, w) => jobs(w.sim, 'RUNNING') >= 1 },
  { name: 'source, after the first poll', victim: 'source', when: (_, w) => requests(w.sim, 'poll') >= 1 },
  { name: 'source, when a job COMPLETED before its download', victim: 'source', when: (_, w) => jobs(w.sim, 'COMPLETED') > requests(w.sim, 'download') },
  { name: 'source, as the first download starts', victim: 'source', when: (_, w) => requests(w.sim, 'download') >= 1 },
  { name: 'source, as the third download starts', victim: 'source', when: (_, w) => requests(w.sim, 'download') >= 3 },
  { name: 'source, after the first RECORD (mid-download)', victim: 'source', when: (v) => (v.relayed.RECORD ?? 0) >= 1 },
  { name: 'source, after 30 RECORDs', victim: 'source', when: (v) => (v.relayed.RECORD ?? 0) >= 30 },
  { name: 'source, after 90 RECORDs', victim: 'source', when: (v) => (v.relayed.RECORD ?? 0) >= 90 },
  { name: 'source, after 170 RECORDs', victim: 'source', when: (v) => (v.relayed.RECORD ?? 0) >= 170 },
  { name: 'source, after its first STATE', victim: 'source', when: (v) => (v.relayed.STATE ?? 0) >= 1 },
  { name: 'source, after its eighth STATE', victim: 'source', when: (v) => (v.relayed.STATE ?? 0) >= 8 },
  { name: 'source, after the destination echoed a STATE', victim: 'source', when: (v) => v.echoed >= 1 },
  { name: 'destination, after the first RECORD', victim: 'destination', when: (v) => (v.relayed.RECORD ?? 0) >= 1 },
  { name: 'destination, after 60 RECORDs', victim: 'destination', when: (v) => (v.relayed.RECORD ?? 0) >= 60 },
  { name: 'destination, after 150 RECORDs', victim: 'destination', when: (v) => (v.relayed.RECORD ?? 0) >= 150 },
  { name: 'destination, after its first echoed STATE', victim: 'destination', when: (v) => v.echoed >= 1 },
  { name: 'destination, after its fifth echoed STATE', victim: 'destination', when: (v) => v.echoed >= 5 },
  { name: 'destination, mid-upload of its first part', victim: 'destination', when: (_, w) => w.proxy.log.some((r) => isUpload(r)) },
  { name: 'destination, mid-upload of its second part', victim: 'destination', when: (_, w) => w.proxy.log.filter((r) => isUpload(r)).length >= 3 },
  { name: 'destination, after a stream completed', victim: 'destination', when: (v) => v.sourceMessages.some((m) => m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS' && m.trace.stream_status?.status === 'COMPLETE') },
  { name: 'source, after the last STREAM COMPLETE', victim: 'source', when: (v) => v.sourceMessages.filter((m) => m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS' && m.trace.stream_status?.status === 'COMPLETE').length >= 2 },
];

/** Scenarios run a few at a time (each spawns four processes). */
let running = 0;
const queue: Array<() => void> = [];
async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= 3) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    queue.shift()?.();
  }
}

function sourceConfig(sim: Simulator, over: Record<string, unknown> = {}): Record<string, unknown> {
  return simConfig(sim, { start_date: START.slice(0, 10), bulk_window_in_days: WINDOW_DAYS, ...over });
}

function destinationConfig(bucket: string, endpoint: string): Record<string, unknown> {
  return emulatorDestinationConfig(bucket, endpoint, { gcs_bucket_path: 'crash' });
}

/** Stream → the gids of every record in the bucket (with repeats). */
async function gidsInGcs(bucket: string): Promise<Map<string, string[]>> {
  const [files] = await emulatorStorage(emulatorUrl).bucket(bucket).getFiles({ prefix: 'crash/' });
  const out = new Map<string, string[]>();
  for (const f of files) {
    const stream = f.name.split('/').find((seg) => seg in STREAMS);
    if (!stream) throw new Error(`unexpected object ${f.name}`);
    const [buf] = await f.download();
    const text = (f.name.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
    const list = out.get(stream) ?? [];
    for (const line of text.split('\n')) if (line) list.push(String((JSON.parse(line) as { _airbyte_data: { admin_graphql_api_id: string } })._airbyte_data.admin_graphql_api_id));
    out.set(stream, list);
  }
  return out;
}

/**
 * Records the destination received after the last STATE it echoed for their stream: all a destination
 * kill may duplicate (a part holding them can finish uploading as the process dies, unconfirmed).
 */
function unconfirmed(run: PipelineRun): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const stream of Object.keys(STREAMS)) {
    const echoed = echoedState(run.destinationMessages).find((s) => (s as { stream: { stream_descriptor: { name: string } } }).stream.stream_descriptor.name === stream) as
      | { stream: { stream_state: unknown } }
      | undefined;
    const blob = JSON.stringify(echoed?.stream.stream_state);
    const from = echoed ? run.sourceMessages.findIndex((m) => m.type === 'STATE' && m.state.stream?.stream_descriptor.name === stream && JSON.stringify(m.state.stream.stream_state) === blob) : 0;
    out.set(stream, new Set(run.sourceMessages.slice(from).flatMap((m) => (m.type === 'RECORD' && m.record.stream === stream ? [String(m.record.data.admin_graphql_api_id)] : []))));
  }
  return out;
}

/**
 * Every record of the window is in GCS. Duplicates: after a source kill they lie inside one slice
 * window per stream; after a destination kill they are records it had received after its last echoed
 * STATE for the stream (`allowed`).
 */
async function expectStoreInGcs(sim: Simulator, bucket: string, allowed?: Map<string, Set<string>>): Promise<Record<string, number>> {
  const inGcs = await gidsInGcs(bucket);
  const duplicates: Record<string, number> = {};
  const windows = planWindows(Date.parse(START), sim.clock.now(), WINDOW_DAYS);
  for (const [stream, type] of Object.entries(STREAMS)) {
    const store = sim.store.list(type, { updatedAtMin: START });
    const got = inGcs.get(stream) ?? [];
    expect([...new Set(got)].sort(), `${stream}: records in GCS`).toEqual(store.map((e) => e.gid).sort());
    const seen = new Set<string>();
    const repeated = got.filter((g) => (seen.has(g) ? true : (seen.add(g), false)));
    duplicates[stream] = repeated.length;
    const updated = new Map(store.map((e) => [e.gid, Date.parse(e.updatedAt)]));
    if (allowed) {
      const beyond = repeated.filter((g) => !allowed.get(stream)?.has(g));
      expect(beyond, `${stream}: duplicates of records the destination had confirmed`).toEqual([]);
    } else {
      const slicesWithRepeats = new Set(repeated.map((g) => windows.findIndex((w) => updated.get(g)! >= w.start && updated.get(g)! < w.end)));
      expect(slicesWithRepeats.size, `${stream}: duplicates span slices ${[...slicesWithRepeats].join(', ')}`).toBeLessThanOrEqual(1);
    }
  }
  return duplicates;
}

function expectValidRun(run: PipelineRun): void {
  expect(run.timedOut, run.stderr).toBe(false);
  expect(run.badLines).toEqual([]);
  expectValidMessages(run.sourceMessages);
  expectValidMessages(run.destinationMessages);
}

const summary: string[] = [];
afterAll(() => {
  if (summary.length > 0) process.stdout.write(`\nCrash and resume (kill point → duplicates after resume):\n${summary.join('\n')}\n`);
});

describe.skipIf(!emulatorUrl)('crash and resume', () => {
  it.concurrent.each(KILL_POINTS)('$name', { timeout: 240_000 }, async (point) =>
    limited(async () => {
      const sim = await startSimulator({ orders: 150, customers: 40, seed: 11, timings: TIMINGS });
      const proxy = await startFaultProxy(emulatorUrl);
      const bucket = uniqueBucket('crash');
      try {
        // Uploads through the proxy take a moment, so "mid-upload" is a state a kill can land in.
        proxy.inject({ fault: { kind: 'delay', ms: 150 }, match: isUpload, times: Number.POSITIVE_INFINITY });
        const catalog = catalogFor(Object.keys(STREAMS));
        const world = { sim, proxy };
        const first = startPipeline({
          sourceConfig: sourceConfig(sim),
          destinationConfig: destinationConfig(bucket, proxy.url),
          catalog,
          kill: { victim: point.victim, when: (view) => point.when(view, world) },
        });
        // The simulator's log, its jobs and the proxy's log move outside the pipe: re-check often.
        const ticker = setInterval(first.poke, 5);
        const crashed = await first.done.finally(() => clearInterval(ticker));
        expectValidRun(crashed);
        expect(crashed.killed, 'the kill point was reached').toBe(true);

        const state = echoedState(crashed.destinationMessages);
        const resumed = await startPipeline({ sourceConfig: sourceConfig(sim), destinationConfig: destinationConfig(bucket, proxy.url), catalog, state }).done;
        expectValidRun(resumed);
        expect([resumed.sourceExit, resumed.destinationExit], resumed.stderr).toEqual([0, 0]);
        const duplicates = await expectStoreInGcs(sim, bucket, point.victim === 'destination' ? unconfirmed(crashed) : undefined);
        summary.push(`  ${point.name.padEnd(58)} ${Object.entries(duplicates).map(([s, n]) => `${s} ${n}`).join(', ')}`);
      } finally {
        await proxy.close();
        await sim.close();
      }
    }),
  );
});

describe.skipIf(!emulatorUrl)('re-attaching to our own bulk job', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ orders: 80, customers: 20, seed: 5, timings: TIMINGS });
  });
  afterAll(async () => sim?.close());

  const jobsInState = (messages: AirbyteMessage[]): string[] =>
    messages.flatMap((m) => (m.type === 'STATE' ? (((m.state.stream?.stream_state as { bulk_jobs?: Array<{ id: string }> }).bulk_jobs ?? []).map((j) => j.id)) : []));

  async function crashWithJobInState(bucket: string, ready: () => boolean): Promise<unknown[]> {
    const run = startPipeline({
      sourceConfig: sourceConfig(sim, { bulk_window_in_days: 3650 }),
      destinationConfig: destinationConfig(bucket, emulatorUrl),
      catalog: catalogFor(['orders']),
      kill: { victim: 'source', when: (v) => jobsInState(v.destinationMessages).length > 0 && ready() },
    });
    const ticker = setInterval(run.poke, 5);
    const crashed = await run.done.finally(() => clearInterval(ticker));
    expectValidRun(crashed);
    expect(crashed.killed).toBe(true);
    expect(crashed.relayed.RECORD ?? 0).toBe(0);
    return echoedState(crashed.destinationMessages);
  }

  async function resumeAndCheck(bucket: string, state: unknown[], whilePolled?: () => void): Promise<void> {
    const recorded = jobsInState(state.map((s) => ({ type: 'STATE', state: s }) as AirbyteMessage));
    expect(recorded).toHaveLength(1);
    sim.clearRequests();
    const run = startPipeline({ sourceConfig: sourceConfig(sim, { bulk_window_in_days: 3650 }), destinationConfig: destinationConfig(bucket, emulatorUrl), catalog: catalogFor(['orders']), state });
    let nudged = false;
    const ticker = setInterval(() => {
      if (!nudged && whilePolled && sim.requests().some((r) => r.kind === 'poll' && r.bulkOperationId === recorded[0])) {
        nudged = true;
        whilePolled();
      }
    }, 5);
    const resumed = await run.done.finally(() => clearInterval(ticker));
    expectValidRun(resumed);
    expect([resumed.sourceExit, resumed.destinationExit], resumed.stderr).toEqual([0, 0]);
    // No second job for the recorded window: the resumed sync read the recorded one and downloaded its
    // result. (The few seconds between the first sync's end and this one's are a new window of their own.)
    const window = `updated_at:>='${START}'`;
    expect(sim.jobs().filter((j) => j.query.includes(window)).map((j) => j.id)).toEqual([recorded[0]]);
    expect(sim.requests().filter((r) => r.kind === 'bulkOperationRunQuery').length).toBeLessThanOrEqual(1);
    expect(sim.jobs().filter((j) => j.id !== recorded[0]).every((j) => !j.query.includes(window))).toBe(true);
    expect(sim.requests().some((r) => r.kind === 'download' && r.bulkOperationId === recorded[0])).toBe(true);
    const logs = resumed.sourceMessages.flatMap((m) => (m.type === 'LOG' ? [m.log.message] : []));
    expect(logs.some((l) => l.includes(`re-attached to bulk operation ${recorded[0]}`))).toBe(true);
    const inGcs = await gidsInGcs(bucket);
    expect([...new Set(inGcs.get('orders'))].sort()).toEqual(sim.store.list('orders', { updatedAtMin: START }).map((e) => e.gid).sort());
    // The final state names no job any more and moved the cursor.
    const final = echoedState(resumed.destinationMessages) as Array<{ stream: { stream_state: Record<string, unknown> } }>;
    expect(final[0]?.stream.stream_state.bulk_jobs).toBeUndefined();
    expect(final[0]?.stream.stream_state.updated_at).toEqual(expect.any(String));
  }

  it('re-attaches to a job that is still running', { timeout: 180_000 }, async () => {
    sim.reset();
    sim.setTimings({ ...TIMINGS, runningMs: 3_600_000 }); // runs until the clock is moved
    const bucket = uniqueBucket('reattach-running');
    const state = await crashWithJobInState(bucket, () => jobs(sim, 'RUNNING') === 1);
    expect(sim.jobs().map((j) => j.status)).toEqual(['RUNNING']);
    // Jobs the resumed sync starts for later windows must not inherit the hour-long run time.
    await resumeAndCheck(bucket, state, () => {
      sim.setTimings(TIMINGS);
      sim.clock.advance(3_700_000);
    });
  });

  it('re-attaches to a job that already finished', { timeout: 180_000 }, async () => {
    sim.reset();
    sim.setTimings(TIMINGS);
    // Downloads stall, so the job is COMPLETED and recorded, and no record has been read, when the source dies.
    sim.faults.add({ match: 'download', action: { type: 'slow', delayMs: 30_000 } });
    const bucket = uniqueBucket('reattach-done');
    const state = await crashWithJobInState(bucket, () => jobs(sim, 'COMPLETED') === 1);
    sim.faults.clear();
    await resumeAndCheck(bucket, state);
  });

  it('never attaches to a job that is not its own, and accepts an Airbyte state', async () => {
    sim.reset();
    sim.setTimings(TIMINGS);
    const foreign = sim.foreignJob(1);
    // A state naming someone else's job for a window, with the hash of exactly our query for it.
    const window = { start: Date.parse('2021-06-01T07:00:00Z'), end: Date.parse('2026-01-01T00:00:00Z') };
    const orders = ALL_STREAMS.find((d) => d.name === 'orders')!.extraction as BulkExtraction;
    const hash = queryHash(orders.query({ apiVersion: '2026-07', filter: windowFilter('updated_at', window) }), true);
    const blob = { updated_at: '2021-06-01T00:00:00-07:00', bulk_jobs: [{ id: foreign.id, start: '2021-06-01T07:00:00+00:00', end: '2026-01-01T00:00:00+00:00', query_hash: hash }] };
    const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'orders' }, stream_state: blob } }];
    const { messages, error } = await readInProcess(sourceConfig(sim, { bulk_window_in_days: 3650 }), catalogFor(['orders']), state);
    expect(error).toBeUndefined();
    expectValidMessages(messages);
    // It looked the job up, saw it runs another query, and paid for its own two windows instead.
    expect(sim.requests().some((r) => r.kind === 'poll' && r.bulkOperationId === foreign.id)).toBe(true);
    expect(sim.requests().filter((r) => r.kind === 'bulkOperationRunQuery' && r.status === 200)).toHaveLength(2);
    expect(sim.requests().filter((r) => r.kind === 'cancel')).toHaveLength(0);
    expect(messages.some((m) => m.type === 'LOG' && m.log.message.includes('re-attached'))).toBe(false);
    const got = messages.flatMap((m) => (m.type === 'RECORD' ? [String(m.record.data.admin_graphql_api_id)] : [])).sort();
    expect(got).toEqual(sim.store.list('orders', { updatedAtMin: '2021-06-01T07:00:00Z' }).map((e) => e.gid).sort());
    // A plain Airbyte state (their connector's, with the shop's offset) resumes where it says.
    const airbyte = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'orders' }, stream_state: { updated_at: '2024-05-01T00:00:00-07:00' } } }];
    const plain = await readInProcess(sourceConfig(sim, { bulk_window_in_days: 3650 }), catalogFor(['orders']), airbyte);
    expect(plain.error).toBeUndefined();
    const ids = plain.messages.flatMap((m) => (m.type === 'RECORD' ? [String(m.record.data.admin_graphql_api_id)] : [])).sort();
    expect(ids).toEqual(sim.store.list('orders', { updatedAtMin: '2024-05-01T07:00:00Z' }).map((e) => e.gid).sort());
  });
});
