/**
 * Per-stream state: reading the cursor a previous sync left (the input file is parsed in read-input.ts)
 * and advancing the cursor only to the end of the longest
 * contiguous run of finished slices, with an exact record count since the previous STATE.
 */
import { ConfigError } from '../../runtime/errors.js';
import type { BulkJobRef } from './job-refs.js';
import type { Window } from './slices.js';

/** The cursor value in a stream's state blob, as ms; undefined when absent. A malformed value is a ConfigError. */
export function cursorFromState(stream: string, field: string, blob: Record<string, unknown> | undefined): number | undefined {
  const value = blob?.[field];
  if (value === undefined || value === null || value === '') return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new ConfigError(`The state of stream ${stream} has ${field} = ${JSON.stringify(value)}, which is not an RFC 3339 timestamp`);
  return ms;
}

type SliceStatus = 'pending' | 'done' | 'failed';

interface TrackedSlice {
  window: Window;
  status: SliceStatus;
  /** The bulk job started for this window and not yet read in full. */
  job?: BulkJobRef;
}

/**
 * Slices of one stream in window order. Splitting replaces a slice by its halves in place, so the
 * order (and the contiguity the state relies on) is kept. Slices emit their records in this order
 * (`waitTurn`), so at most one slice past the cursor is ever partly emitted.
 */
export class StateTracker {
  private readonly slices: TrackedSlice[];
  private recordsSinceState = 0;
  private frontier: number | undefined;
  private emittedFrontier: number | undefined;
  private stateEmitted = false;
  private jobsDirty = false;
  private closed = false;
  private waiters: Array<() => void> = [];

  constructor(windows: Window[]) {
    this.slices = windows.map((window) => ({ window, status: 'pending' }));
  }

  /** Replaces `window` by `parts` (its halves). */
  split(window: Window, parts: Window[]): void {
    const i = this.slices.findIndex((s) => s.window === window);
    if (i < 0) throw new Error('splitting an unknown window');
    if (this.slices[i]!.job) this.jobsDirty = true;
    this.slices.splice(i, 1, ...parts.map((w) => ({ window: w, status: 'pending' as const })));
    this.wake();
  }

  /** Records the bulk job started (or re-attached) for a window. */
  setJob(window: Window, job: BulkJobRef): void {
    this.find(window).job = job;
    this.jobsDirty = true;
  }

  /** The window's job is over without its data being read in full (failed, cancelled, short). */
  clearJob(window: Window): void {
    const slice = this.find(window);
    if (slice.job) this.jobsDirty = true;
    delete slice.job;
  }

  /** Jobs of windows not finished yet, in window order. */
  jobs(): BulkJobRef[] {
    return this.slices.flatMap((s) => (s.status !== 'done' && s.job ? [s.job] : []));
  }

  /** True when every slice before `window` is done. */
  isTurn(window: Window): boolean {
    for (const s of this.slices) {
      if (s.window === window) return true;
      if (s.status !== 'done') return false;
    }
    return false;
  }

  /** Waits until `isTurn(window)`, or the tracker was closed or the signal aborted; returns whether it is the window's turn. */
  async waitTurn(window: Window, signal?: AbortSignal): Promise<boolean> {
    while (!this.isTurn(window) && !this.closed && !signal?.aborted) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        signal?.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    return this.isTurn(window) && !this.closed && !signal?.aborted;
  }

  /** The stream stopped: nobody waits for a turn any more. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  countRecord(n = 1): void {
    this.recordsSinceState += n;
  }

  finish(window: Window): void {
    this.mark(window, 'done');
    let end: number | undefined;
    for (const s of this.slices) {
      if (s.status !== 'done') break;
      end = s.window.end;
    }
    if (end !== undefined) this.frontier = end;
  }

  fail(window: Window): void {
    this.mark(window, 'failed');
  }

  private find(window: Window): TrackedSlice {
    const slice = this.slices.find((s) => s.window === window);
    if (!slice) throw new Error('unknown window');
    return slice;
  }

  private mark(window: Window, status: SliceStatus): void {
    const slice = this.find(window);
    if (slice.job) this.jobsDirty = true;
    slice.status = status;
    this.wake();
  }

  /**
   * When the frontier or the recorded jobs changed since the last STATE (or `force` and none was
   * emitted since the last records): the frontier and jobs to write and the record count since the
   * previous STATE, and resets the count.
   */
  takeState(force: boolean): { frontier: number | undefined; recordCount: number; jobs: BulkJobRef[] } | undefined {
    const moved = this.frontier !== this.emittedFrontier || this.jobsDirty;
    if (!moved && !(force && (!this.stateEmitted || this.recordsSinceState > 0))) return undefined;
    const recordCount = this.recordsSinceState;
    this.recordsSinceState = 0;
    this.emittedFrontier = this.frontier;
    this.stateEmitted = true;
    this.jobsDirty = false;
    return { frontier: this.frontier, recordCount, jobs: this.jobs() };
  }

  allDone(): boolean {
    return this.slices.every((s) => s.status === 'done');
  }
}
