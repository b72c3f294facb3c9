/**
 * Runs one bulk query operation from submission to a final status: waits for a free slot when
 * Shopify says one is taken (never cancelling jobs it did not start), polls with a growing interval,
 * self-cancels per the state machine and reports what the caller must do next.
 */
import { TransientError } from '../../runtime/errors.js';
import type { Logger } from '../../runtime/logger.js';
import type { ShopifyClient } from '../shopify/client.js';
import { decide, type JobDecision } from './job.js';
import { cancelBulkOperation, readBulkOperation, runBulkQuery, type BulkOperation } from './operations.js';

export interface JobTiming {
  pollInitialMs: number;
  pollMaxMs: number;
  /** Between submissions while every slot is taken. */
  slotWaitMs: number;
  /** Give up waiting for a slot after this long. */
  slotWaitDeadlineMs: number;
  terminationThresholdMs: number;
  checkpointInterval: number;
}

export const DEFAULT_JOB_TIMING: Readonly<Omit<JobTiming, 'terminationThresholdMs' | 'checkpointInterval'>> = Object.freeze({
  pollInitialMs: 250,
  pollMaxMs: 5_000,
  slotWaitMs: 5_000,
  slotWaitDeadlineMs: 3_600_000,
});

export interface JobDeps {
  client: ShopifyClient;
  logger: Logger;
  timing: JobTiming;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  signal?: AbortSignal;
  /** Called with the id of each job this sync started, and again (with `done`) when it reached a final status. */
  track?: (id: string, done: boolean) => void;
  /** Called (and awaited) once the job runs: submitted now, or re-attached from state. */
  onJob?: (id: string) => Promise<void>;
}

export interface JobSpec {
  /** `orders [2024-01-01T00:00:00Z, 2024-01-31T00:00:00Z)`, for logs and errors. */
  label: string;
  query: string;
  groupObjects: boolean;
  splittable: boolean;
  /** A job this source started for this window and query in an earlier sync: used when still usable. */
  attach?: string;
}

/** Shopify keeps a result URL for a week after completion; an older one is not worth re-attaching to. */
const RESULT_URL_LIFETIME_MS = 7 * 86_400_000 - 3_600_000;

/** The recorded job when it is still running or finished with a live result for exactly this query. */
async function reattach(spec: JobSpec, deps: JobDeps): Promise<BulkOperation | undefined> {
  const id = spec.attach!;
  let op: BulkOperation;
  try {
    op = await readBulkOperation(deps.client, id, `read of ${id} for ${spec.label}`);
  } catch (err) {
    deps.logger.info(`${spec.label}: bulk operation ${id} from the state cannot be read (${(err as Error).message}); starting a new one`);
    return undefined;
  }
  const now = Math.min(deps.now(), deps.client.serverTime() ?? Number.POSITIVE_INFINITY);
  const completed = op.completedAt ? Date.parse(op.completedAt) : undefined;
  const usable =
    op.query === spec.query &&
    (op.status === 'CREATED' || op.status === 'RUNNING' || (op.status === 'COMPLETED' && (completed === undefined || now - completed < RESULT_URL_LIFETIME_MS)));
  if (!usable) {
    const why = op.query === spec.query ? `it is ${op.status}` : 'its query is not this window\'s';
    deps.logger.info(`${spec.label}: not re-using bulk operation ${id} from the state (${why}); starting a new one`);
    return undefined;
  }
  deps.logger.info(`${spec.label}: re-attached to bulk operation ${id} (${op.status}) started by an earlier sync`);
  return op;
}

export type JobOutcome = Exclude<JobDecision, { action: 'wait' } | { action: 'cancel' }> & { op?: BulkOperation };

async function submit(spec: JobSpec, deps: JobDeps): Promise<string | JobOutcome> {
  const { client, logger, timing, now } = deps;
  const started = now();
  for (;;) {
    const result = await runBulkQuery(client, spec.query, spec.groupObjects, `bulk query for ${spec.label}`);
    if (result.kind === 'started') return result.id;
    if (result.kind === 'rejected')
      return { action: 'fail', configError: false, reason: `Shopify rejected the bulk query for ${spec.label}: ${result.message}` };
    if (now() - started > timing.slotWaitDeadlineMs) {
      throw new TransientError(
        `No bulk operation slot became free for ${spec.label} within ${Math.round(timing.slotWaitDeadlineMs / 60_000)} min: ${result.message}`,
      );
    }
    logger.every(`slot:${spec.label}`, 60_000, 'INFO', `${spec.label}: every bulk operation slot is taken (${result.message}); waiting for one to free up`);
    await deps.sleep(timing.slotWaitMs, deps.signal);
  }
}

export async function runJob(spec: JobSpec, deps: JobDeps): Promise<JobOutcome> {
  const { client, logger, timing, now } = deps;
  const attached = spec.attach ? await reattach(spec, deps) : undefined;
  const submitted = attached ? attached.id : await submit(spec, deps);
  if (typeof submitted !== 'string') return submitted;
  const id = submitted;
  deps.track?.(id, false);
  await deps.onJob?.(id);
  const started = now();
  let cancelRequested = false;
  let interval = timing.pollInitialMs;
  for (;;) {
    await deps.sleep(interval, deps.signal);
    interval = Math.min(timing.pollMaxMs, Math.round(interval * 1.5));
    const op = await readBulkOperation(client, id, `poll of ${spec.label}`);
    const elapsedMs = now() - started;
    const rate = elapsedMs > 0 ? Math.round((op.objectCount * 1000) / elapsedMs) : 0;
    logger.every(
      `job:${id}`,
      30_000,
      'INFO',
      `${spec.label}: bulk operation ${id} ${op.status}, ${op.objectCount} objects, ${rate} objects/s after ${Math.round(elapsedMs / 1000)} s`,
    );
    const decision = decide(op, {
      cancelRequested,
      splittable: spec.splittable,
      elapsedMs,
      terminationThresholdMs: timing.terminationThresholdMs,
      checkpointInterval: timing.checkpointInterval,
    });
    if (decision.action === 'wait') continue;
    if (decision.action === 'cancel') {
      logger.info(`${spec.label}: cancelling bulk operation ${id} (${decision.reason}); its window will be split in two`);
      await cancelBulkOperation(client, id, `cancel of ${spec.label}`);
      cancelRequested = true;
      continue;
    }
    deps.track?.(id, true);
    return { ...decision, op };
  }
}
