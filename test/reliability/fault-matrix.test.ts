/**
 * The fault matrix: for each simulator fault, a full sync of every stream — `source-shopify read |
 * destination-gcs write` into the GCS emulator, real CLIs, real pipe — with the fault aimed at every
 * stream's own requests or jobs. Per stream exactly one of two outcomes is allowed (see
 * fault-matrix-check.ts): (a) every record of the synced window is in GCS, or (b) the sync failed with a
 * TRACE error naming the stream and its window, and the last STATE the destination echoed covers no
 * missing record. Anything else fails the test; the matrix (fault × stream → outcome) is printed at the end.
 *
 * Sizing: a small shop, 1100-day windows (three per stream, the first one empty), fast jobs, one
 * simulator per sync and three syncs at a time (most of a sync is waiting).
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AirbyteMessage } from '../../src/protocol/messages.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { catalogEntry } from '../../src/source/discover.js';
import { ALL_STREAMS } from '../../src/source/streams/index.js';
import { emulatorDestinationConfig, emulatorStorage, uniqueBucket } from '../support/gcs-emulator.js';
import { runPipeline, type PipelineResult } from '../support/pipeline.js';
import { expectValidMessages } from '../support/protocol.js';
import { API_VERSION, FAULT_CASES, WINDOWED, streamPatterns, type FaultCase } from './fault-cases.js';
import { echoedCursors, errorTraces, expectations, judgeStream, recordsInGcs, type Observation, type Verdict } from './fault-matrix-check.js';

const START_DATE = '2020-01-01';
// The store starts after the first window ends, so every windowed stream also reads an empty window (url: null).
const STORE = { orders: 40, products: 8, customers: 10, locations: 3, collections: 6, startDate: '2023-03-01T00:00:00Z', endDate: '2026-06-30T00:00:00Z' };
const WINDOW_DAYS = 1100;
const PARALLEL = 3;
const BUCKET_PATH = 'matrix';
const STREAMS = ALL_STREAMS.map((s) => s.name);
/** While debugging one fault: FAULT_MATRIX_ONLY=<regular expression on the fault's name>. */
const ONLY = process.env.FAULT_MATRIX_ONLY ? new RegExp(process.env.FAULT_MATRIX_ONLY, 'i') : undefined;
const CASES = FAULT_CASES.filter((f, i) => i === 0 || !ONLY || ONLY.test(f.name));

interface Row {
  fault: FaultCase;
  run: PipelineResult;
  /** The last window's end the source announced (ms), if it got that far. */
  syncEnd: number | undefined;
  /** Simulator clock when the sync was started. */
  simStart: number;
  observation: Observation;
  verdicts: Map<string, Verdict>;
  hits: Map<string, number>;
}

const catalog = {
  streams: ALL_STREAMS.map((def) => {
    const incremental = def.cursorField !== undefined;
    return {
      stream: catalogEntry(def),
      sync_mode: incremental ? 'incremental' : 'full_refresh',
      ...(incremental ? { cursor_field: [def.cursorField] } : {}),
      destination_sync_mode: 'append',
      primary_key: def.primaryKey,
      generation_id: 1,
      minimum_generation_id: 0,
      sync_id: 1,
    };
  }),
};

function announcedEnd(messages: readonly AirbyteMessage[]): number | undefined {
  for (const m of messages) {
    const found = m.type === 'LOG' ? / up to (\S+) with /.exec(m.log.message) : null;
    if (found) return Date.parse(found[1]!);
  }
  return undefined;
}

async function runFault(fault: FaultCase, emulatorUrl: string): Promise<Row> {
  const sim: Simulator = await startSimulator({ ...STORE, fast: true });
  try {
    const patterns = streamPatterns(API_VERSION);
    // Changes right before the sync: these records are newer than the window's end and must not be read.
    sim.store.update('orders', { count: 2 });
    sim.store.update('products', { count: 1 });
    const count = fault.arm(sim, patterns);
    const bucket = uniqueBucket(`matrix-${fault.name}`);
    const simStart = sim.clock.now();
    const run = await runPipeline({
      sourceConfig: {
        shop: sim.shop,
        credentials: { auth_method: 'api_password', api_password: sim.accessToken },
        api_base_url: sim.url,
        api_version: API_VERSION,
        start_date: START_DATE,
        bulk_window_in_days: WINDOW_DAYS,
      },
      destinationConfig: emulatorDestinationConfig(bucket, emulatorUrl, { gcs_bucket_path: BUCKET_PATH, gcs_path_format: '${STREAM_NAME}/${EPOCH}_' }),
      catalog,
      timeoutMs: 180_000, // a hang is reported as such; generous for a loaded machine
    });
    const syncEnd = announcedEnd(run.sourceMessages);
    // The window the source must have read; without an announced end, the latest end it could have chosen.
    const end = Math.floor((syncEnd ?? simStart - 60_000) / 1000) * 1000;
    const observation: Observation = {
      expected: expectations(sim, Date.parse(`${START_DATE}T00:00:00Z`), end),
      inGcs: await recordsInGcs(emulatorStorage(emulatorUrl), bucket, `${BUCKET_PATH}/`, sim.shop),
      echoed: echoedCursors(run.destinationMessages),
      errors: errorTraces(run.sourceMessages),
      sourceExit: run.sourceExit,
      windowed: WINDOWED,
    };
    const verdicts = new Map(STREAMS.map((stream) => [stream, judgeStream(stream, observation)]));
    return { fault, run, syncEnd, simStart, observation, verdicts, hits: count(sim) };
  } finally {
    await sim.close();
  }
}

function cell(row: Row, stream: string): string {
  const v = row.verdicts.get(stream)!;
  if (v.outcome === 'violation') return 'FAIL';
  const hit = row.fault.targets.includes(stream) ? ((row.hits.get(stream) ?? 0) > 0 ? '' : '?') : '·';
  return `${v.outcome}${hit}`;
}

function table(rows: Row[]): string {
  const heads = ['fault', ...STREAMS, 'exit', 's'];
  const body = rows.map((r) => [r.fault.name, ...STREAMS.map((s) => cell(r, s)), `${r.run.sourceExit}/${r.run.destinationExit}`, ((r.run.endedAt - r.run.startedAt) / 1000).toFixed(1)]);
  const widths = heads.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cols: string[]): string => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [
    line(heads),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    '',
    'a: every record of the window is in GCS   b: failed with a TRACE naming stream and window, last echoed STATE covers only what is in GCS',
    '·: the fault does not apply to this stream   ?: aimed at the stream but never hit it   FAIL: neither a nor b   exit: source/destination',
  ].join('\n');
}

const rows = new Map<string, Row>();
const failures = new Map<string, unknown>();

describe('fault matrix: every fault × every stream ends in outcome a or b', () => {
  beforeAll(async () => {
    const url = inject('gcsEmulatorUrl');
    if (!url) throw new Error('The GCS emulator is not installed: run `npm ci` at the repository root');
    const queue = [...CASES];
    const worker = async (): Promise<void> => {
      for (let fault = queue.shift(); fault; fault = queue.shift()) {
        try {
          rows.set(fault.name, await runFault(fault, url));
        } catch (err) {
          failures.set(fault.name, err);
        }
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
  }, 900_000);

  afterAll(() => {
    const done = CASES.flatMap((f) => (rows.has(f.name) ? [rows.get(f.name)!] : []));
    if (done.length > 0) console.log(`\nFault matrix (fault × stream → outcome)\n${table(done)}\n`);
  });

  for (const fault of CASES) {
    it(fault.name, () => {
      if (failures.has(fault.name)) throw failures.get(fault.name);
      const row = rows.get(fault.name)!;
      const { run } = row;
      const traces = errorTraces(run.sourceMessages).map((e) => `${e.failureType ?? ''} ${e.message}`).join('\n');
      const context = `\n--- source TRACE errors ---\n${traces.slice(-3000)}\n--- source stderr ---\n${run.sourceStderr.slice(-3000)}\n--- destination stderr ---\n${run.destinationStderr.slice(-2000)}`;
      expect(run.timedOut, `the sync hung${context}`).toBe(false);
      expect(run.badLines, 'stdout lines that are not protocol messages').toEqual([]);
      expectValidMessages(run.sourceMessages);
      expectValidMessages(run.destinationMessages);
      expect(run.destinationExit, `the destination failed${context}`).toBe(0);
      // The window ends 60 s before the sync started, by Shopify's clock.
      expect(row.syncEnd, `the source announces the end of its window${context}`).toBeDefined();
      expect(row.syncEnd!).toBeGreaterThanOrEqual(row.simStart - 60_000 - 1_000);
      expect(row.syncEnd!).toBeLessThanOrEqual(row.simStart - 60_000 + (run.endedAt - run.startedAt));

      const violations = STREAMS.flatMap((stream) => {
        const v = row.verdicts.get(stream)!;
        return v.outcome === 'violation' ? [`${stream}: ${v.reason}`] : [];
      });
      expect(violations, `neither outcome a nor b${context}`).toEqual([]);

      for (const stream of fault.targets) expect(row.hits.get(stream) ?? 0, `the fault never hit ${stream}`).toBeGreaterThan(0);
      if (fault.want === 'a') {
        const notA = STREAMS.filter((s) => row.verdicts.get(s)!.outcome !== 'a');
        expect(notA, `a recoverable fault must be recovered from${context}`).toEqual([]);
        expect(run.sourceExit).toBe(0);
      } else {
        expect(run.sourceExit).not.toBe(0);
        const errors = errorTraces(run.sourceMessages);
        for (const stream of fault.targets) {
          const own = errors.filter((e) => e.stream === stream);
          expect(own.length, `${stream} is reported failed`).toBeGreaterThan(0);
          if (fault.failureType) expect(own.map((e) => e.failureType), stream).toContain(fault.failureType);
        }
        for (const stream of STREAMS.filter((s) => !fault.targets.includes(s))) expect(row.verdicts.get(stream)!.outcome).toBe('a');
      }
    });
  }

  it('the judge fails wrong cases: a missing record, a STATE covering a hole, an unnamed failure', () => {
    const row = rows.get(FAULT_CASES[0]!.name);
    if (!row) throw failures.get(FAULT_CASES[0]!.name) ?? new Error('the baseline sync did not run');
    const base = row.observation;
    const orders = base.expected.get('orders')!.inWindow.slice().sort((x, y) => x.at! - y.at!);
    const oldest = orders[0]!;
    const newest = orders[orders.length - 1]!;
    const without = (key: string): Observation['inGcs'] => new Map([...base.inGcs].map(([s, keys]) => [s, s === 'orders' ? keys.filter((k) => k !== key) : keys]));
    expect(judgeStream('orders', base).outcome).toBe('a');

    // A record missing while the sync succeeded: silent loss (with or without a STATE claiming it).
    expect(judgeStream('orders', { ...base, inGcs: without(newest.key) }).outcome).toBe('violation');
    expect(judgeStream('orders', { ...base, echoed: new Map(), inGcs: without(newest.key) })).toMatchObject({ outcome: 'violation', reason: expect.stringContaining('silent loss') });
    // The sync failed and says so, but the echoed STATE covers the missing record.
    const failed = { ...base, sourceExit: 1, errors: [{ stream: 'orders', message: 'orders [2024-01-01T00:00:00Z, 2026-01-01T00:00:00Z): boom' }] };
    expect(judgeStream('orders', { ...failed, inGcs: without(oldest.key) })).toMatchObject({ outcome: 'violation', reason: expect.stringContaining('covers 1 record') });
    // The same hole above the echoed cursor is outcome b.
    const echoed = new Map(base.echoed).set('orders', oldest.at!);
    expect(judgeStream('orders', { ...failed, echoed, inGcs: without(newest.key) })).toMatchObject({ outcome: 'b', missing: 1 });
    // … unless no error names the stream, or names it without its window.
    expect(judgeStream('orders', { ...failed, errors: [{ stream: 'customers', message: 'customers failed' }], echoed, inGcs: without(newest.key) }).outcome).toBe('violation');
    expect(judgeStream('orders', { ...failed, errors: [{ stream: 'orders', message: 'orders: boom' }], echoed, inGcs: without(newest.key) }).outcome).toBe('violation');
    // Records the store does not have, or from outside the window, are not a success either.
    const extra = (key: string): Observation['inGcs'] => new Map(base.inGcs).set('orders', [...(base.inGcs.get('orders') ?? []), key]);
    expect(judgeStream('orders', { ...base, inGcs: extra('999999999') }).outcome).toBe('violation');
    const outside = base.expected.get('orders')!.all.find((r) => !base.expected.get('orders')!.inWindow.some((w) => w.key === r.key));
    expect(outside, 'records updated right before the sync are outside the window').toBeDefined();
    expect(judgeStream('orders', { ...base, inGcs: extra(outside!.key) }).outcome).toBe('violation');
    // A full-refresh stream has no cursor to lean on: a missing location with a failed sync must be named.
    const locations = base.expected.get('locations')!.inWindow[0]!.key;
    const noLocation = new Map(base.inGcs).set('locations', (base.inGcs.get('locations') ?? []).filter((k) => k !== locations));
    expect(judgeStream('locations', { ...failed, inGcs: noLocation }).outcome).toBe('violation');
    expect(judgeStream('locations', { ...failed, errors: [{ stream: 'locations', message: 'locations (whole stream): boom' }], inGcs: noLocation }).outcome).toBe('b');
  });
});
