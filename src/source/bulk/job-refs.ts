/**
 * Bulk jobs recorded in a stream's state (`"bulk_jobs": [{id, start, end, query_hash}]`), so a sync
 * that was stopped can pick up the jobs it had started instead of paying for them again. Only the
 * jobs of this source's own state are ever considered, and only for the exact window and query.
 */
import { createHash } from 'node:crypto';
import { airbyteTimestamp, planWindows, type Window } from './slices.js';

export const BULK_JOBS_KEY = 'bulk_jobs';

export interface BulkJobRef {
  id: string;
  window: Window;
  queryHash: string;
}

/** A short, stable fingerprint of what a job computes (its query and grouping). */
export function queryHash(query: string, groupObjects: boolean): string {
  return createHash('sha256').update(`${groupObjects ? 'grouped' : 'ungrouped'}\n${query}`).digest('hex').slice(0, 16);
}

const GID = /^gid:\/\/shopify\/BulkOperation\/\d+$/;

/** The well-formed entries of `blob.bulk_jobs`; anything malformed is ignored (a fresh job then runs). */
export function jobsFromState(blob: Record<string, unknown> | undefined): BulkJobRef[] {
  const raw = blob?.[BULK_JOBS_KEY];
  if (!Array.isArray(raw)) return [];
  const out: BulkJobRef[] = [];
  for (const entry of raw) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const start = typeof e.start === 'string' ? Date.parse(e.start) : Number.NaN;
    const end = typeof e.end === 'string' ? Date.parse(e.end) : Number.NaN;
    if (typeof e.id !== 'string' || !GID.test(e.id) || typeof e.query_hash !== 'string' || !(start < end)) continue;
    out.push({ id: e.id, window: { start, end }, queryHash: e.query_hash });
  }
  return out;
}

export function jobsToState(jobs: readonly BulkJobRef[]): Array<Record<string, string>> {
  return jobs.map((j) => ({ id: j.id, start: airbyteTimestamp(j.window.start), end: airbyteTimestamp(j.window.end), query_hash: j.queryHash }));
}

/**
 * Windows covering [start, end): recorded jobs' windows where they fit (inside the range, not
 * overlapping each other), regular windows of at most `days` in the gaps.
 */
export function planWithJobs(start: number, end: number, days: number, jobs: readonly BulkJobRef[]): Array<{ window: Window; job?: BulkJobRef }> {
  const usable = jobs.filter((j) => j.window.start >= start && j.window.end <= end).sort((a, b) => a.window.start - b.window.start);
  const out: Array<{ window: Window; job?: BulkJobRef }> = [];
  let at = start;
  for (const job of usable) {
    if (job.window.start < at) continue;
    for (const window of planWindows(at, job.window.start, days)) out.push({ window });
    out.push({ window: { ...job.window }, job });
    at = job.window.end;
  }
  for (const window of planWindows(at, end, days)) out.push({ window });
  return out;
}
