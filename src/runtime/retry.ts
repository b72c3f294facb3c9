/**
 * The one retry policy, shared by GraphQL calls, downloads and uploads. The policy is data; `withRetry`
 * is the one loop. Errors are classified once (`classifyError`): 408/429/5xx and connection faults are
 * retried with exponential backoff and full jitter, honouring `Retry-After` (seconds) when the server sent it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ConnectorError, HttpError, TransientError, errorMessage } from './errors.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Give up once this much time has passed since the first attempt. */
  deadlineMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 500,
  maxDelayMs: 64_000,
  factor: 2,
  deadlineMs: 600_000,
});

export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
const RETRYABLE_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'ENOTFOUND', 'ECONNABORTED', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ERR_STREAM_PREMATURE_CLOSE',
]);

export type RetryDecision = { retry: false } | { retry: true; delayMs?: number };

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** Decides whether an error is worth another attempt. */
export function classifyError(err: unknown): RetryDecision {
  if (err instanceof HttpError) {
    if (!RETRYABLE_STATUS.has(err.status)) return { retry: false };
    return err.retryAfterMs === undefined ? { retry: true } : { retry: true, delayMs: err.retryAfterMs };
  }
  if (err instanceof TransientError) return { retry: true };
  if (err instanceof ConnectorError) return { retry: false };
  const code = errorCode(err);
  if (code && RETRYABLE_CODES.has(code)) return { retry: true };
  // fetch() reports a dropped connection as TypeError('fetch failed') or 'terminated'.
  if (err instanceof TypeError && /fetch failed|terminated|other side closed/i.test(err.message)) return { retry: true };
  return { retry: false };
}

/** Parses a `Retry-After` header: delta-seconds (what Shopify and GCS send) or an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function backoffDelay(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2)); // "equal jitter": never retry instantly
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  /** What is being attempted, for messages ("GraphQL request", "download of orders slice 3"). */
  operation: string;
  classify?: (err: unknown) => RetryDecision;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  now?: () => number;
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const classify = options.classify ?? classifyError;
  const now = options.now ?? Date.now;
  const started = now();
  for (let attempt = 1; ; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (err) {
      const decision = classify(err);
      if (!decision.retry || options.signal?.aborted) throw err;
      const delayMs = Math.min(decision.delayMs ?? backoffDelay(policy, attempt), policy.maxDelayMs);
      const outOfTime = now() + delayMs - started > policy.deadlineMs;
      if (attempt >= policy.maxAttempts || outOfTime) {
        throw new TransientError(`${options.operation} failed after ${attempt} attempts: ${errorMessage(err)}`, {
          cause: err,
          internalMessage: err instanceof ConnectorError ? err.internalMessage : undefined,
        });
      }
      options.onRetry?.({ attempt, delayMs, error: err });
      await sleep(delayMs, undefined, { signal: options.signal });
    }
  }
}
