/**
 * The faults of the matrix. Each one is armed on a fresh simulator before a full sync of every stream,
 * aimed at every stream at once: one rule per stream whose `query` pattern matches only that stream's
 * bulk query (its submissions, polls and downloads) or its plain query, so each stream is hit on its
 * own and the hits can be counted per stream afterwards.
 */
import type { FaultAction, FaultRule, RequestKind, Simulator } from '../../src/simulator/index.js';
import { ALL_STREAMS } from '../../src/source/streams/index.js';

export const API_VERSION = '2026-07';

/** Per stream, a pattern that matches its query text and nothing else's (the window filter may vary). */
export function streamPatterns(apiVersion = API_VERSION): Map<string, string> {
  const marker = 'WINDOW-FILTER-MARKER';
  const out = new Map<string, string>();
  for (const def of ALL_STREAMS) {
    const text = def.extraction.query({ apiVersion, filter: marker });
    const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out.set(def.name, escaped.split(marker).join('[^"]*'));
  }
  for (const [name, pattern] of out) {
    for (const def of ALL_STREAMS) {
      if (def.name !== name && new RegExp(pattern).test(def.extraction.query({ apiVersion, filter: 'x' }))) {
        throw new Error(`the pattern of ${name} also matches the query of ${def.name}`);
      }
    }
  }
  return out;
}

/** The stream a bulk query belongs to. */
export function streamOfQuery(patterns: Map<string, string>, query: string): string | undefined {
  for (const [name, pattern] of patterns) if (new RegExp(pattern).test(query)) return name;
  return undefined;
}

export const BULK_STREAMS = ALL_STREAMS.filter((s) => s.extraction.kind === 'bulk').map((s) => s.name);
export const GRAPHQL_STREAMS = ALL_STREAMS.filter((s) => s.extraction.kind === 'graphql').map((s) => s.name);
/** Streams read in date windows (the first window of the matrix's sync is empty: the store starts later). */
export const WINDOWED = new Set(ALL_STREAMS.filter((s) => s.extraction.kind === 'bulk' && s.cursorField).map((s) => s.name));

/** Hits per stream, counted once the sync is over. */
export type HitCounter = (sim: Simulator) => Map<string, number>;

export interface FaultCase {
  name: string;
  /**
   * What a correct connector does on every stream the fault hits: `a` it recovers and delivers every
   * record; `fails` it reports the stream failed (outcome a or b, depending on what was read before).
   */
  want: 'a' | 'fails';
  /** For `fails`: the failure_type of the stream's TRACE error. */
  failureType?: 'config_error' | 'system_error' | 'transient_error';
  /** Streams the fault is aimed at (each must be hit at least once). */
  targets: readonly string[];
  arm(sim: Simulator, patterns: Map<string, string>): HitCounter;
}

/** Adds rules per stream and counts, per stream, how often its rules fired. */
function perStream(sim: Simulator, patterns: Map<string, string>, streams: readonly string[], rules: (stream: string) => Array<Omit<FaultRule, 'query'>>): HitCounter {
  const ids = new Map<string, number[]>();
  for (const stream of streams) ids.set(stream, rules(stream).map((rule) => sim.faults.add({ ...rule, query: patterns.get(stream)! })));
  return (s) => {
    const list = s.faults.list();
    return new Map([...ids].map(([stream, ruleIds]) => [stream, ruleIds.reduce((n, id) => {
      const rule = list.find((r) => r.id === id);
      return n + (rule ? (rule.count ?? 1) - rule.remaining : 0);
    }, 0)]));
  };
}

/** HTTP-level faults: one on the stream's first bulk submission, one on a poll, one on a download; the plain query for `shop`. */
function httpFault(action: FaultAction): FaultCase['arm'] {
  return (sim, patterns) =>
    perStream(sim, patterns, [...BULK_STREAMS, ...GRAPHQL_STREAMS], (stream) => {
      const kinds: RequestKind[] = BULK_STREAMS.includes(stream) ? ['bulkOperationRunQuery', 'poll', 'download'] : ['query'];
      return kinds.filter((kind) => action.type !== 'throttled' || kind !== 'download').map((match) => ({ match, action }));
    });
}

/**
 * Job faults hit the stream's first job with data: windowed streams' first window is empty, so they
 * skip one job (`skip`) — more for faults meant to land after some windows were read.
 */
function jobFault(action: FaultAction, windowsFirst = 1, count = 1): FaultCase['arm'] {
  return (sim, patterns) => {
    perStream(sim, patterns, BULK_STREAMS, (stream) => [{ action, count, skip: WINDOWED.has(stream) ? windowsFirst : 0 }]);
    // A job rule can be taken by a job it has no effect on; count the jobs that really ended badly.
    return (s) => {
      const hits = new Map(BULK_STREAMS.map((name) => [name, 0]));
      for (const job of s.jobs()) {
        const stream = streamOfQuery(patterns, job.query);
        const bad = job.status === 'FAILED' || job.status === 'CANCELED' || (job.status === 'COMPLETED' && job.url === null && Number(job.objectCount) > 0);
        if (stream && bad) hits.set(stream, (hits.get(stream) ?? 0) + 1);
      }
      return hits;
    };
  };
}

const ALL = [...BULK_STREAMS, ...GRAPHQL_STREAMS];
/** How long the foreign jobs hold every slot (simulator ms; its clock runs in real time). */
const FOREIGN_HOLD_MS = 4_000;

export const FAULT_CASES: readonly FaultCase[] = [
  { name: 'none (baseline)', want: 'a', targets: [], arm: () => () => new Map() },
  { name: 'HTTP 429 + Retry-After', want: 'a', targets: ALL, arm: httpFault({ type: 'http', status: 429, retryAfter: 1 }) },
  { name: 'HTTP 500', want: 'a', targets: ALL, arm: httpFault({ type: 'http', status: 500 }) },
  { name: 'HTTP 502', want: 'a', targets: ALL, arm: httpFault({ type: 'http', status: 502 }) },
  { name: 'HTTP 503', want: 'a', targets: ALL, arm: httpFault({ type: 'http', status: 503 }) },
  { name: 'HTTP 504', want: 'a', targets: ALL, arm: httpFault({ type: 'http', status: 504 }) },
  { name: 'connection reset', want: 'a', targets: ALL, arm: httpFault({ type: 'reset' }) },
  { name: 'slow responses (1.5 s)', want: 'a', targets: ALL, arm: httpFault({ type: 'slow', delayMs: 1_500 }) },
  {
    name: 'THROTTLED (+ empty bucket)',
    want: 'a',
    targets: ALL,
    arm: (sim, patterns) => {
      sim.setAvailableCost(0);
      return httpFault({ type: 'throttled' })(sim, patterns);
    },
  },
  { name: 'FAILED INTERNAL_SERVER_ERROR, partial', want: 'a', targets: BULK_STREAMS, arm: jobFault({ type: 'jobFailed', errorCode: 'INTERNAL_SERVER_ERROR', afterObjects: 1 }) },
  { name: 'FAILED INTERNAL_SERVER_ERROR, no partial', want: 'a', targets: BULK_STREAMS, arm: jobFault({ type: 'jobFailed', errorCode: 'INTERNAL_SERVER_ERROR', afterObjects: 1, partialData: false }) },
  { name: 'FAILED TIMEOUT', want: 'a', targets: BULK_STREAMS, arm: jobFault({ type: 'jobFailed', errorCode: 'TIMEOUT', afterObjects: 1 }) },
  // Lands on the third window, so two windows were read and checkpointed before the stream fails.
  { name: 'FAILED ACCESS_DENIED', want: 'fails', failureType: 'config_error', targets: BULK_STREAMS, arm: jobFault({ type: 'jobFailed', errorCode: 'ACCESS_DENIED' }, 2) },
  // Every job from the third window on fails: the window and its halves are retried, then the stream stops before it.
  { name: 'FAILED INTERNAL_SERVER_ERROR, always', want: 'fails', failureType: 'system_error', targets: BULK_STREAMS, arm: jobFault({ type: 'jobFailed', errorCode: 'INTERNAL_SERVER_ERROR' }, 2, 1_000) },
  { name: 'CANCELED by someone else', want: 'a', targets: BULK_STREAMS, arm: jobFault({ type: 'jobCanceled', afterObjects: 1 }) },
  {
    name: 'foreign jobs hold every slot',
    want: 'a',
    targets: BULK_STREAMS,
    arm: (sim, patterns) => {
      const holdEnd = sim.clock.now() + FOREIGN_HOLD_MS;
      for (let i = 0; i < 5; i++) sim.foreignJob(FOREIGN_HOLD_MS);
      // Hit: the stream's first job could only be created once the foreign jobs let go.
      return (s) => {
        const first = new Map<string, number>();
        for (const job of s.jobs()) {
          const stream = streamOfQuery(patterns, job.query);
          if (stream && !first.has(stream)) first.set(stream, Date.parse(job.createdAt));
        }
        return new Map(BULK_STREAMS.map((name) => [name, (first.get(name) ?? 0) >= Math.floor(holdEnd / 1000) * 1000 ? 1 : 0]));
      };
    },
  },
  { name: 'download cut midway', want: 'a', targets: BULK_STREAMS, arm: (sim, p) => perStream(sim, p, BULK_STREAMS, () => [{ match: 'download', action: { type: 'downloadCut', afterBytes: 50 } }]) },
  { name: 'expired url', want: 'a', targets: BULK_STREAMS, arm: (sim, p) => perStream(sim, p, BULK_STREAMS, () => [{ match: 'download', action: { type: 'urlExpired' } }]) },
  { name: 'empty result (url: null)', want: 'a', targets: BULK_STREAMS, arm: jobFault({ type: 'nullUrl' }) },
];
