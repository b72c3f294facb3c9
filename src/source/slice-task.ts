/**
 * Runs one slice of a bulk stream: the job, then the download into records, then the state update.
 * Whatever happens, the slice ends finished, split, requeued or failing its stream: never skipped.
 * A grouped result is emitted while it downloads; if it then proves short (line count below
 * objectCount, a truncated file) the window is read again, so delivery is at-least-once and the
 * STATE only moves once a whole window has been read.
 */
import { estimateMessage, recordMessage, type AirbyteMessage } from '../protocol/messages.js';
import { ConnectorError, HttpError, asConnectorError } from '../runtime/errors.js';
import type { Logger } from '../runtime/logger.js';
import { ReassemblyError } from './bulk/assemble.js';
import type { Channel, Semaphore } from './bulk/concurrency.js';
import { ResultUrlRefusedError, TruncatedDownloadError } from './bulk/download.js';
import { CountMismatchError, extractRecords } from './bulk/extract.js';
import { WorkerHeapError, sharedParsePool } from './bulk/parse-pool.js';
import { SerializedRecords, type OutputMessage } from '../protocol/serialized.js';
import { streamByName } from './streams/index.js';
import { queryHash } from './bulk/job-refs.js';
import { nestedConnectionDepth } from './bulk/query-shape.js';
import { runJob, type JobOutcome } from './bulk/runner.js';
import { splitWindow, windowFilter, windowLabel } from './bulk/slices.js';
import type { SourceDeps } from './deps.js';
import { hasGroupObjects, resultIsGrouped } from './shopify/versions.js';
import type { Slice, StreamRun } from './stream-run.js';
import type { BulkExtraction, RecordContext } from './streams/define.js';

/** Failed jobs tolerated on a window (and its halves) before the window is reported. */
export const MAX_WINDOW_FAILURES = 3;

export interface SliceEnv {
  deps: SourceDeps;
  logger: Logger;
  out: Channel<OutputMessage>;
  slots: Semaphore;
  /** The size of `slots` (Shopify's concurrent bulk operations). */
  slotCount: number;
  downloads: Semaphore;
  recordContext: RecordContext;
  signal?: AbortSignal;
  /** Ids of the jobs this sync started that have not reached a final status. */
  ownJobs: Set<string>;
}

function failStream(run: StreamRun, message: string, failureType: 'config_error' | 'system_error' | 'transient_error'): void {
  run.failure ??= { message, failureType };
  run.queue.length = 0;
  run.tracker.close();
}

/** Puts a failed window back (halved when possible) unless it failed too often. */
function requeue(run: StreamRun, full: Slice, label: string, reason: string, split: boolean, env: SliceEnv): void {
  // The window's job (if any) is spent: the next attempt starts a new one.
  run.tracker.clearJob(full.window);
  const { attach: _spent, ...slice } = full;
  const failures = slice.failures + 1;
  if (failures > MAX_WINDOW_FAILURES) {
    failStream(run, `${label} kept failing (${failures} attempts, last: ${reason}); the window was not skipped, the stream stopped before it`, 'system_error');
    return;
  }
  const halves = split && slice.filtered ? splitWindow(slice.window) : undefined;
  if (halves) {
    run.tracker.split(slice.window, halves);
    run.requeue(...halves.map((window) => ({ ...slice, window, failures })));
    const log = failures > slice.failures ? env.logger.warn : env.logger.info;
    log(`${label}: ${reason}; retrying as two smaller windows`);
  } else {
    run.requeue({ ...slice, failures });
    env.logger.warn(`${label}: ${reason}; retrying the window`);
  }
}

async function download(run: StreamRun, slice: Slice, label: string, outcome: Extract<JobOutcome, { action: 'download' }>, grouped: boolean, depth: number, env: SliceEnv): Promise<void> {
  const { deps, out } = env;
  const op = outcome.op;
  const objectCount = op?.objectCount ?? 0;
  run.estimate += op?.rootObjectCount || objectCount;
  await out.push(estimateMessage(run.name, run.estimate));
  const started = deps.now();
  const useGrouped = grouped && !slice.forceSpill;
  // Workers load the stream's definition by name: only for a registered stream, and a result large enough.
  const pool = !slice.mainThread && objectCount >= deps.parallel.minLines && streamByName(run.name) === run.def ? sharedParsePool(deps.parallel.workers, deps.parallel.oldGenerationMb) : undefined;
  if (pool) {
    pool.warm();
    env.logger.info(`${label}: parsing ${objectCount} lines in ${pool.size} worker thread(s)`);
  }
  const records = extractRecords(outcome.url, {
    label,
    extraction: run.def.extraction as BulkExtraction,
    recordContext: env.recordContext,
    grouped: useGrouped,
    objectCount,
    ...(pool ? { parallel: { pool, stream: run.name, ...(deps.parallel.blockBytes ? { blockBytes: deps.parallel.blockBytes } : {}) } } : {}),
    download: { fetch: deps.fetch, ...(env.signal ? { signal: env.signal } : {}), ...(deps.retryPolicy ? { retryPolicy: deps.retryPolicy } : {}) },
    spill: { nestedDepth: depth, ...deps.spill },
  });
  let emitted = 0;
  for (;;) {
    const next = await records.next();
    if (next.done) {
      const secs = Math.max(0.001, (deps.now() - started) / 1000);
      env.logger.info(`${label}: ${next.value.records} records from ${next.value.lines} lines in ${secs.toFixed(1)} s (${Math.round(next.value.records / secs)} records/s)`);
      break;
    }
    if (next.value instanceof SerializedRecords) {
      // A block of records serialised by a worker: one item, weighed by its bytes, counted at once.
      await out.push(next.value, next.value.bytes.byteLength);
      run.tracker.countRecord(next.value.count);
      emitted += next.value.count;
    } else {
      // Each record weighs its share of the lines it came from, so the output channel is bounded in bytes.
      const weight = next.value.bytes === undefined ? 0 : next.value.bytes / next.value.length;
      for (const data of next.value) {
        await out.push(recordMessage(run.name, data, deps.now()), weight);
        run.tracker.countRecord();
        emitted++;
      }
    }
    const secs = Math.max(0.001, (deps.now() - started) / 1000);
    env.logger.every(`download:${label}`, 30_000, 'INFO', `${label}: ${emitted} records so far (${Math.round(emitted / secs)} records/s)`);
  }
  run.tracker.finish(slice.window);
  const state = run.stateMessage(false);
  if (state) await out.push(state);
}

export async function runSlice(run: StreamRun, slice: Slice, env: SliceEnv): Promise<void> {
  const { deps } = env;
  const extraction = run.def.extraction as BulkExtraction;
  const label = windowLabel(run.name, slice.filtered ? slice.window : undefined);
  const filter = slice.filtered && run.def.cursorField ? windowFilter(run.def.cursorField, slice.window) : undefined;
  let outcome: JobOutcome;
  let grouped: boolean;
  let depth: number;
  let attached = false;
  try {
    const query = extraction.query({ apiVersion: deps.client.apiVersion, filter });
    depth = nestedConnectionDepth(query);
    const groupObjects = deps.groupObjects ?? (hasGroupObjects(deps.client.apiVersion) && depth > 0);
    grouped = depth === 0 || resultIsGrouped(deps.client.apiVersion, groupObjects);
    const splittable = slice.filtered && slice.window.end - slice.window.start > 1000;
    const hash = queryHash(query, groupObjects);
    // Only a job recorded in this stream's own state, for this window and this exact query.
    const attach = slice.attach && slice.attach.queryHash === hash ? slice.attach.id : undefined;
    if (slice.attach && !attach) env.logger.info(`${label}: the query changed since bulk operation ${slice.attach.id} was started; starting a new one`);
    // Incremental windows record their job in the state at once, so a stopped sync can re-attach to it.
    const onJob = run.incremental && slice.filtered
      ? async (id: string): Promise<void> => {
          attached = id === attach;
          run.tracker.setJob(slice.window, { id, window: slice.window, queryHash: hash });
          const state = run.stateMessage(false);
          if (state) await env.out.push(state);
        }
      : undefined;
    outcome = await runJob({ label, query, groupObjects, splittable, ...(attach ? { attach } : {}) }, {
      ...(onJob ? { onJob } : {}),
      client: deps.client,
      logger: env.logger,
      timing: deps.timing,
      now: deps.now,
      sleep: deps.sleep,
      track: (id, done) => (done ? env.ownJobs.delete(id) : env.ownJobs.add(id)),
      ...(env.signal ? { signal: env.signal } : {}),
    });
  } catch (err) {
    const e = asConnectorError(err);
    failStream(run, `${label}: ${e.message}`, e.failureType);
    return;
  } finally {
    env.slots.release();
  }
  switch (outcome.action) {
    case 'fail':
      run.tracker.clearJob(slice.window);
      failStream(run, `${label}: ${outcome.reason}`, outcome.configError ? 'config_error' : 'system_error');
      return;
    case 'split':
      if (outcome.failure) requeue(run, slice, label, outcome.reason, true, env);
      else {
        requeue(run, { ...slice, failures: slice.failures - 1 }, label, outcome.reason, true, env); // our own cut: not a failure
        run.shrinkQueued(Math.ceil((slice.window.end - slice.window.start) / 2) + 1000);
      }
      return;
    case 'retry':
      requeue(run, slice, label, outcome.reason, false, env);
      return;
    case 'download':
      break;
  }
  // Windows of a stream are emitted in order, so the records past the cursor are one slice at most.
  if (!(await run.tracker.waitTurn(slice.window, env.signal))) return;
  await env.downloads.acquire();
  try {
    await download(run, slice, label, outcome, grouped, depth, env);
  } catch (err) {
    if (attached && err instanceof HttpError && err.status >= 400 && err.status < 500) {
      requeue(run, { ...slice, failures: slice.failures - 1 }, label, `the result of the re-attached bulk operation is gone (${err.message})`, false, env);
    } else if (err instanceof CountMismatchError || err instanceof TruncatedDownloadError || err instanceof ResultUrlRefusedError) {
      // A short or refused result: the window is read again by a new job (never skipped).
      requeue(run, slice, label, err.message, false, env);
    } else if (err instanceof WorkerHeapError && !slice.mainThread) {
      requeue(run, { ...slice, mainThread: true }, label, 'a block of the result did not fit a parse worker’s heap; reading it again on the main thread', false, env);
    } else if (err instanceof ReassemblyError && /not grouped/.test(err.message) && !slice.forceSpill) {
      requeue(run, { ...slice, forceSpill: true }, label, 'the result was not grouped by parent; reading it again as ungrouped', false, env);
    } else {
      const e = err instanceof ConnectorError ? err : asConnectorError(err);
      failStream(run, e.message.startsWith(label) ? e.message : `${label}: ${e.message}`, e.failureType);
    }
  } finally {
    env.downloads.release();
  }
}
