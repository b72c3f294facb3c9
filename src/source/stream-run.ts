/**
 * One configured stream during a read: its plan of slices, its state tracker, and the STATE and
 * status messages it owes. Slices are date windows for streams with a cursor, one unfiltered slice
 * for the others.
 */
import { streamStateMessage, type ConfiguredAirbyteStream, type StateMessage } from '../protocol/messages.js';
import { ConfigError } from '../runtime/errors.js';
import { BULK_JOBS_KEY, jobsFromState, jobsToState, planWithJobs, type BulkJobRef } from './bulk/job-refs.js';
import { airbyteTimestamp, splitWindow, type Window } from './bulk/slices.js';
import { StateTracker, cursorFromState } from './bulk/state.js';
import type { SourceConfig } from './config.js';
import { streamByName, ALL_STREAMS } from './streams/index.js';
import type { StreamDefinition } from './streams/define.js';

const DAY = 86_400_000;

export interface Slice {
  window: Window;
  /** False: the whole stream, no search filter. */
  filtered: boolean;
  /** Failed jobs on this window and its ancestors; too many and the window is reported, not skipped. */
  failures: number;
  /** Read the result as ungrouped even if grouping was requested (after a grouping violation). */
  forceSpill: boolean;
  /** Parse on the main thread (after a block did not fit a parse worker's heap). */
  mainThread?: boolean;
  /** A job this source started for exactly this window in an earlier sync (from the input state). */
  attach?: BulkJobRef;
}

export interface StreamFailure {
  message: string;
  failureType: 'config_error' | 'system_error' | 'transient_error';
}

export class StreamRun {
  readonly queue: Slice[];
  readonly tracker: StateTracker;
  inflight = 0;
  running = false;
  finished = false;
  failure: StreamFailure | undefined;
  estimate = 0;

  constructor(
    readonly def: StreamDefinition,
    readonly incremental: boolean,
    private readonly initialBlob: Record<string, unknown> | undefined,
    private readonly initialCursor: number | undefined,
    slices: Slice[],
  ) {
    this.queue = slices;
    this.tracker = new StateTracker(slices.map((s) => s.window));
  }

  get name(): string {
    return this.def.name;
  }

  /**
   * Puts slices back in window order. The scheduler takes the queue's head, and windows are emitted
   * in order: a later window's retry must never be started ahead of an earlier window still queued.
   */
  requeue(...slices: Slice[]): void {
    for (const slice of slices) {
      const at = this.queue.findIndex((s) => s.window.start > slice.window.start);
      this.queue.splice(at < 0 ? this.queue.length : at, 0, slice);
    }
  }

  /**
   * After this sync cut a window for passing job_checkpoint_interval or job_termination_threshold, the
   * windows still queued would most likely hit the same limit, each wasting a job: halve those longer
   * than `maxSpanMs` (repeatedly) before they start. Windows with a job to re-attach to keep theirs.
   */
  shrinkQueued(maxSpanMs: number): void {
    const shrunk: Slice[] = [];
    const halve = (slice: Slice): void => {
      const halves = slice.filtered && !slice.attach && slice.window.end - slice.window.start > maxSpanMs ? splitWindow(slice.window) : undefined;
      if (!halves) {
        shrunk.push(slice);
        return;
      }
      this.tracker.split(slice.window, halves);
      for (const window of halves) halve({ ...slice, window });
    };
    for (const slice of this.queue) halve(slice);
    this.queue.splice(0, this.queue.length, ...shrunk);
  }

  /** The queued slice whose window is next to be emitted: it may start even when the stream's read-ahead is used up. */
  headIsNext(): boolean {
    const head = this.queue[0];
    return head !== undefined && this.tracker.isTurn(head.window);
  }

  /** True once nothing is queued or running (or the stream failed and its running slices ended). */
  idle(): boolean {
    return this.inflight === 0 && (this.queue.length === 0 || this.failure !== undefined);
  }

  stateMessage(force: boolean): StateMessage | undefined {
    const taken = this.tracker.takeState(force);
    if (!taken) return undefined;
    let blob: Record<string, unknown> = {};
    const cursor = this.def.cursorField;
    if (this.incremental && cursor) {
      const reached = Math.max(taken.frontier ?? Number.NEGATIVE_INFINITY, this.initialCursor ?? Number.NEGATIVE_INFINITY);
      const { [BULK_JOBS_KEY]: _previousJobs, ...rest } = this.initialBlob ?? {};
      blob = Number.isFinite(reached) ? { ...rest, [cursor]: airbyteTimestamp(reached) } : rest;
      // Jobs started and not read in full yet: a resumed sync re-attaches to them.
      if (taken.jobs.length > 0) blob[BULK_JOBS_KEY] = jobsToState(taken.jobs);
    }
    return streamStateMessage(this.name, blob, { sourceRecordCount: taken.recordCount });
  }
}

export interface PlanInput {
  config: SourceConfig;
  stream: ConfiguredAirbyteStream;
  stateBlob: Record<string, unknown> | undefined;
  /** The last window's end. */
  end: number;
  streams?: readonly StreamDefinition[];
}

export function resolveStream(name: string, streams: readonly StreamDefinition[] = ALL_STREAMS): StreamDefinition {
  const def = streams === ALL_STREAMS ? streamByName(name) : streams.find((s) => s.name === name);
  if (!def) throw new ConfigError(`The catalog asks for stream "${name}", which this source does not have; run discover for the list of streams`);
  return def;
}

export function planStream({ config, stream, stateBlob, end, streams }: PlanInput): StreamRun {
  const def = resolveStream(stream.stream.name, streams);
  const incremental = stream.sync_mode === 'incremental';
  if (incremental && !def.cursorField) throw new ConfigError(`Stream ${def.name} does not support incremental sync: configure it as full_refresh`);
  const cursor = incremental && def.cursorField ? cursorFromState(def.name, def.cursorField, stateBlob) : undefined;
  if (!def.cursorField || def.extraction.kind === 'graphql') {
    return new StreamRun(def, incremental, undefined, undefined, [{ window: { start: 0, end: 0 }, filtered: false, failures: 0, forceSpill: false }]);
  }
  const startDate = config.startDate.getTime();
  const start = cursor === undefined ? startDate : Math.max(startDate, cursor - config.lookbackWindowDays * DAY);
  const planned = planWithJobs(start, end, config.bulkWindowDays, incremental ? jobsFromState(stateBlob) : []);
  const slices = planned.map(({ window, job }): Slice => ({ window, filtered: true, failures: 0, forceSpill: false, ...(job ? { attach: job } : {}) }));
  return new StreamRun(def, incremental, incremental ? stateBlob : undefined, cursor, slices);
}
