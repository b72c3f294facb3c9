/**
 * The bulk job's state machine: Shopify's status and errorCode (kept separate) plus what we asked for
 * (a self-cancel) decide the next step. Pure, so every transition is unit-tested without a server.
 *
 *   CREATED/RUNNING ──(too long or too many objects, window can split)──▶ cancel ─▶ CANCELING ─▶ CANCELED ─▶ split
 *   COMPLETED ─▶ download url (null url: zero records)
 *   FAILED + ACCESS_DENIED ─▶ fail (config_error)      FAILED + INTERNAL_SERVER_ERROR/TIMEOUT/other ─▶ split
 *   CANCELED (not by us) ─▶ retry the same window      EXPIRED ─▶ retry the same window
 */
import type { BulkOperation } from './operations.js';

export interface JobContext {
  /** We asked Shopify to cancel this job. */
  cancelRequested: boolean;
  /** The slice's window can be cut in two (the stream has a cursor and the window is wider than the minimum). */
  splittable: boolean;
  /** Time since we submitted the job. */
  elapsedMs: number;
  terminationThresholdMs: number;
  checkpointInterval: number;
}

export type JobDecision =
  | { action: 'wait' }
  | { action: 'cancel'; reason: string }
  | { action: 'download'; url: string | null }
  /** `failure`: the job failed (counts towards giving up on the window), rather than being cut by us. */
  | { action: 'split'; reason: string; failure: boolean }
  | { action: 'retry'; reason: string }
  | { action: 'fail'; reason: string; configError: boolean };

export function decide(op: BulkOperation, ctx: JobContext): JobDecision {
  switch (op.status) {
    case 'CREATED':
    case 'RUNNING': {
      if (ctx.cancelRequested || !ctx.splittable) return { action: 'wait' };
      if (ctx.elapsedMs > ctx.terminationThresholdMs) {
        return { action: 'cancel', reason: `ran ${Math.round(ctx.elapsedMs / 1000)} s, past job_termination_threshold (${Math.round(ctx.terminationThresholdMs / 1000)} s)` };
      }
      if (op.objectCount > ctx.checkpointInterval) {
        return { action: 'cancel', reason: `objectCount ${op.objectCount} passed job_checkpoint_interval (${ctx.checkpointInterval})` };
      }
      return { action: 'wait' };
    }
    case 'CANCELING':
      return { action: 'wait' };
    case 'COMPLETED':
      // Completed before our cancel took effect: the data is whole, use it.
      return { action: 'download', url: op.url };
    case 'CANCELED':
      return ctx.cancelRequested
        ? { action: 'split', reason: 'cancelled by this sync to split the window', failure: false }
        : { action: 'retry', reason: `bulk operation ${op.id} was cancelled outside this sync` };
    case 'EXPIRED':
      return { action: 'retry', reason: `the result of bulk operation ${op.id} expired before it was downloaded` };
    case 'FAILED':
      if (op.errorCode === 'ACCESS_DENIED') {
        return { action: 'fail', configError: true, reason: `bulk operation ${op.id} failed with ACCESS_DENIED: the token lacks an access scope this stream needs` };
      }
      return { action: 'split', reason: `bulk operation ${op.id} failed with ${op.errorCode ?? 'no error code'}`, failure: true };
    default:
      return { action: 'fail', configError: false, reason: `bulk operation ${op.id} has an unknown status ${String(op.status)}` };
  }
}

/** Whether a status is final (the job no longer holds one of Shopify's slots). */
export function isTerminal(status: BulkOperation['status']): boolean {
  return status === 'COMPLETED' || status === 'CANCELED' || status === 'FAILED' || status === 'EXPIRED';
}
