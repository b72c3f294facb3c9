/**
 * Bulk operations: creation with the concurrency limits (reference §1.8), cancel (§1.7), reads (§1.6)
 * and the status each job shows at the simulator's current time (§1.2, §1.3). Status is derived from
 * timestamps on every read, so moving the clock moves jobs along.
 */
import { isoSeconds } from '../clock.js';
import type { SimClock } from '../clock.js';
import { bulkQuerySlots } from '../versions.js';
import type { ResultFiles } from './files.js';
import type { BulkErrorCode, BulkOperationView, BulkStatus, JobFate, JobTimings } from './types.js';

export interface BulkJob {
  numericId: number;
  gid: string;
  type: 'QUERY' | 'MUTATION';
  query: string;
  version: string;
  groupObjects: boolean;
  token: string;
  scopes: ReadonlySet<string>;
  createdAt: number;
  startAt: number;
  fileKey: string;
  fate: JobFate;
  /** Foreign jobs (started "by someone else") never write; they hold a slot until this time. */
  holdUntil?: number;
  objects: number;
  roots: number;
  visibleObjects: number;
  visibleRoots: number;
  bytes: number;
  written: boolean;
  writtenAt?: number;
  writerStopped: boolean;
  stopRequested: boolean;
  cancelAt?: number;
  cancelDoneAt?: number;
  failure?: { code: BulkErrorCode; partial: boolean; at: number };
}

export interface OperationsDeps {
  clock: SimClock;
  files: ResultFiles;
  timings: () => JobTimings;
  baseUrl: () => string;
  /** Starts writing a job's results (resolves when done or stopped). */
  start: (job: BulkJob) => Promise<void>;
}

export interface RunResult {
  bulkOperation: BulkOperationView | null;
  userErrors: Array<{ field: string[] | null; message: string; code?: string }>;
}

const ACTIVE: ReadonlySet<BulkStatus> = new Set(['CREATED', 'RUNNING', 'CANCELING']);

export class BulkOperations {
  private jobs: BulkJob[] = [];
  /** Writers still running, including those of jobs a reset dropped: close() waits for them. */
  private readonly writers = new Set<Promise<void>>();
  private nextId = 7_933_223_797_042;

  constructor(private readonly deps: OperationsDeps) {}

  all(): readonly BulkJob[] {
    return this.jobs;
  }

  find(gid: string): BulkJob | undefined {
    return this.jobs.find((job) => job.gid === gid);
  }

  private create(type: 'QUERY' | 'MUTATION', query: string, version: string, token: string, scopes: ReadonlySet<string>, groupObjects: boolean, fate: JobFate): BulkJob {
    const now = this.deps.clock.now();
    const numericId = this.nextId;
    this.nextId += 1 + (numericId % 7);
    const job: BulkJob = {
      numericId, gid: `gid://shopify/BulkOperation/${numericId}`, type, query, version, groupObjects, token, scopes,
      createdAt: now, startAt: now + this.deps.timings().createdMs, fileKey: this.deps.files.newKey(), fate,
      objects: 0, roots: 0, visibleObjects: 0, visibleRoots: 0, bytes: 0,
      written: false, writerStopped: false, stopRequested: false,
    };
    this.jobs.push(job);
    return job;
  }

  /** Active (CREATED/RUNNING/CANCELING) query jobs, oldest first. */
  activeQueryJobs(): BulkJob[] {
    return this.jobs.filter((job) => job.type === 'QUERY' && ACTIVE.has(this.view(job).status));
  }

  /**
   * bulkOperationRunQuery after validation: checks the slots, creates the job, starts it. The fate is
   * taken only once a job is created, so a fault rule is not used up by a submission refused as busy.
   */
  runQuery(query: string, version: string, token: string, scopes: ReadonlySet<string>, groupObjects: boolean, fate: () => JobFate): RunResult {
    const active = this.activeQueryJobs();
    if (active.length >= bulkQuerySlots(version)) {
      // Reference §1.5: the 2025-01 message names the blocking job; 2026-04 lists all of them.
      const ids = active.map((job) => job.gid).join(', ');
      return {
        bulkOperation: null,
        userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${ids}.`, code: 'OPERATION_IN_PROGRESS' }],
      };
    }
    const job = this.create('QUERY', query, version, token, scopes, groupObjects, fate());
    const writer = this.deps.start(job).catch(() => {
      job.failure = { code: 'INTERNAL_SERVER_ERROR', partial: job.objects > 0, at: this.deps.clock.now() };
      job.writerStopped = true;
    });
    this.writers.add(writer);
    void writer.finally(() => this.writers.delete(writer));
    // A fresh run is always reported CREATED with zero counters (reference §1.2).
    return { bulkOperation: { ...this.view(job), status: 'CREATED', objectCount: '0', rootObjectCount: '0' }, userErrors: [] };
  }

  /** A job started by "someone else" that holds a slot for `holdMs` (fault injection). */
  foreign(holdMs: number, query = '{ products { edges { node { id } } } }'): BulkJob {
    const job = this.create('QUERY', query, '2026-07', 'foreign', new Set(), false, {});
    job.holdUntil = job.createdAt + holdMs;
    job.written = true;
    job.writerStopped = true;
    return job;
  }

  /** bulkOperationCancel (reference §1.7). */
  cancel(gid: string): RunResult {
    const job = this.find(gid);
    if (!job) return { bulkOperation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] };
    const status = this.view(job).status;
    if (!ACTIVE.has(status)) {
      return { bulkOperation: this.view(job), userErrors: [{ field: null, message: `A bulk operation cannot be canceled when it is ${status.toLowerCase()}` }] };
    }
    if (status !== 'CANCELING') this.markCanceled(job);
    return { bulkOperation: { ...this.view(job), status: 'CANCELING' }, userErrors: [] };
  }

  markCanceled(job: BulkJob): void {
    const now = this.deps.clock.now();
    job.cancelAt = now;
    job.cancelDoneAt = now + this.deps.timings().cancelMs;
    job.stopRequested = true;
    if (job.holdUntil !== undefined) job.holdUntil = now;
  }

  /** The newest operation of a type, terminal or not (reference §1.6). */
  current(type: 'QUERY' | 'MUTATION'): BulkOperationView | null {
    const jobs = this.jobs.filter((job) => job.type === type);
    const job = jobs[jobs.length - 1];
    return job ? this.view(job) : null;
  }

  reset(): void {
    for (const job of this.jobs) job.stopRequested = true;
    this.jobs = [];
  }

  /**
   * Drops every job and resolves once their writers have stopped, so no file is still being
   * created when the result directory is removed (a writer opening its file during the removal
   * made it fail with ENOTEMPTY).
   */
  async stop(): Promise<void> {
    this.reset();
    await Promise.all(this.writers);
  }

  /** What the job looks like now. */
  view(job: BulkJob): BulkOperationView {
    const now = this.deps.clock.now();
    const timings = this.deps.timings();
    const base: BulkOperationView = {
      __typename: 'BulkOperation', id: job.gid, status: 'RUNNING', type: job.type, errorCode: null,
      createdAt: isoSeconds(job.createdAt), completedAt: null, objectCount: String(job.visibleObjects),
      rootObjectCount: String(job.visibleRoots), fileSize: null, url: null, partialDataUrl: null, query: job.query,
    };
    if (job.cancelAt !== undefined) {
      const done = now >= (job.cancelDoneAt ?? 0) && job.writerStopped;
      return { ...base, status: done ? 'CANCELED' : 'CANCELING' };
    }
    if (job.failure && job.writerStopped) {
      const partial = job.failure.partial && job.objects > 0;
      // Counters match the partial file.
      return {
        ...base, status: 'FAILED', errorCode: job.failure.code, objectCount: String(job.objects), rootObjectCount: String(job.roots),
        partialDataUrl: partial ? this.url(job, job.failure.at) : null,
      };
    }
    if (now < job.startAt) return { ...base, status: 'CREATED', objectCount: '0', rootObjectCount: '0' };
    if (job.failure) return { ...base, status: 'RUNNING' };
    if (job.holdUntil !== undefined) {
      if (now < job.holdUntil) return { ...base, status: 'RUNNING' };
      return { ...base, status: 'COMPLETED', completedAt: isoSeconds(job.holdUntil) };
    }
    const endAt = job.startAt + timings.runningMs + timings.perObjectMs * job.objects;
    if (!job.written || now < endAt) {
      if (now - job.startAt > timings.maxRunMs) {
        job.failure = { code: 'TIMEOUT', partial: true, at: now };
        job.stopRequested = true;
        return this.view(job);
      }
      return { ...base, status: 'RUNNING' };
    }
    const completedAt = Math.max(endAt, job.writtenAt ?? endAt);
    const expired = now >= completedAt + timings.urlTtlMs;
    const hasData = job.objects > 0;
    return {
      ...base,
      status: expired ? 'EXPIRED' : 'COMPLETED',
      completedAt: isoSeconds(completedAt),
      objectCount: String(job.objects),
      rootObjectCount: String(job.roots),
      fileSize: hasData ? String(job.bytes) : null,
      // Reference §1.9/§2: url is null when the query produced no results.
      url: hasData && !job.fate.nullUrl ? this.deps.files.url(this.deps.baseUrl(), job.fileKey, job.numericId, completedAt + timings.urlTtlMs) : null,
    };
  }

  private url(job: BulkJob, from: number): string {
    return this.deps.files.url(this.deps.baseUrl(), job.fileKey, job.numericId, from + this.deps.timings().urlTtlMs);
  }

  /** Job whose result file has this key (for downloads). */
  byFileKey(key: string): BulkJob | undefined {
    return this.jobs.find((job) => job.fileKey === key);
  }
}
