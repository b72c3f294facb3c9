import { describe, expect, it } from 'vitest';
import { jobsFromState, jobsToState, planWithJobs, queryHash, type BulkJobRef } from '../../../../src/source/bulk/job-refs.js';
import { StateTracker } from '../../../../src/source/bulk/state.js';

const T = (s: string): number => Date.parse(s);
const DAY = 86_400_000;
const ID = 'gid://shopify/BulkOperation/7933223797042';

describe('bulk jobs kept in state', () => {
  it('round-trips through the state blob and ignores malformed entries', () => {
    const job: BulkJobRef = { id: ID, window: { start: T('2024-01-01T00:00:00Z'), end: T('2024-01-31T00:00:00Z') }, queryHash: queryHash('{ q }', true) };
    const blob = { updated_at: '2024-01-01T00:00:00+00:00', bulk_jobs: jobsToState([job]) };
    expect(blob.bulk_jobs).toEqual([{ id: ID, start: '2024-01-01T00:00:00+00:00', end: '2024-01-31T00:00:00+00:00', query_hash: job.queryHash }]);
    expect(jobsFromState(JSON.parse(JSON.stringify(blob)))).toEqual([job]);
    const bad = [null, 'x', { id: 'gid://shopify/Order/1', start: '2024-01-01', end: '2024-01-02', query_hash: 'a' }, { id: ID, start: '2024-01-02', end: '2024-01-01', query_hash: 'a' }, { id: ID, start: 'nope', end: '2024-01-01', query_hash: 'a' }, { id: ID, start: '2024-01-01', end: '2024-01-02' }];
    expect(jobsFromState({ bulk_jobs: bad })).toEqual([]);
    expect(jobsFromState({ bulk_jobs: 'garbage' })).toEqual([]);
    expect(jobsFromState({ updated_at: '2024-01-01T00:00:00+00:00' })).toEqual([]);
    expect(jobsFromState(undefined)).toEqual([]);
  });

  it('hashes the query and the grouping', () => {
    expect(queryHash('{ a }', true)).toBe(queryHash('{ a }', true));
    expect(queryHash('{ a }', true)).not.toBe(queryHash('{ a }', false));
    expect(queryHash('{ a }', true)).not.toBe(queryHash('{ b }', true));
  });

  it('plans recorded windows where they fit and regular windows around them', () => {
    const start = T('2024-01-01T00:00:00Z');
    const end = T('2024-03-01T00:00:00Z');
    const job = (a: string, b: string): BulkJobRef => ({ id: ID, window: { start: T(a), end: T(b) }, queryHash: 'h' });
    const inside = job('2024-01-11T00:00:00Z', '2024-01-16T00:00:00Z');
    const overlapping = job('2024-01-15T00:00:00Z', '2024-01-20T00:00:00Z');
    const before = job('2023-12-01T00:00:00Z', '2023-12-05T00:00:00Z');
    const after = job('2024-02-20T00:00:00Z', '2024-03-05T00:00:00Z');
    const plan = planWithJobs(start, end, 20, [after, overlapping, inside, before]);
    expect(plan.map((p) => [new Date(p.window.start).toISOString().slice(0, 10), new Date(p.window.end).toISOString().slice(0, 10), p.job ? 'job' : ''])).toEqual([
      ['2024-01-01', '2024-01-11', ''],
      ['2024-01-11', '2024-01-16', 'job'],
      ['2024-01-16', '2024-02-05', ''],
      ['2024-02-05', '2024-02-25', ''],
      ['2024-02-25', '2024-03-01', ''],
    ]);
    // contiguous and complete
    for (let i = 1; i < plan.length; i++) expect(plan[i]!.window.start).toBe(plan[i - 1]!.window.end);
    expect(planWithJobs(start, end, 30, []).map((p) => p.window.end - p.window.start)).toEqual([30 * DAY, 30 * DAY]);
  });

  it('tracks the jobs of unfinished windows in the state and lets windows emit in order', async () => {
    const w = [
      { start: 0, end: 10 },
      { start: 10, end: 20 },
    ];
    const t = new StateTracker(w);
    expect(t.isTurn(w[0]!)).toBe(true);
    expect(t.isTurn(w[1]!)).toBe(false);
    const ref = (i: number): BulkJobRef => ({ id: `${ID}${i}`, window: w[i]!, queryHash: 'h' });
    t.setJob(w[1]!, ref(1));
    expect(t.takeState(false)).toEqual({ frontier: undefined, recordCount: 0, jobs: [ref(1)] });
    expect(t.takeState(false)).toBeUndefined();
    t.setJob(w[0]!, ref(0));
    expect(t.takeState(false)?.jobs).toEqual([ref(0), ref(1)]);
    let second = false;
    const waiting = t.waitTurn(w[1]!).then((turn) => (second = turn));
    await Promise.resolve();
    expect(second).toBe(false);
    t.finish(w[0]!);
    await waiting;
    expect(second).toBe(true);
    expect(t.takeState(false)).toEqual({ frontier: 10, recordCount: 0, jobs: [ref(1)] });
    t.clearJob(w[1]!);
    expect(t.takeState(false)?.jobs).toEqual([]);
    // a closed tracker (failed stream) releases waiters without a turn
    const t2 = new StateTracker(w);
    const released = t2.waitTurn(w[1]!);
    t2.close();
    expect(await released).toBe(false);
  });
});
