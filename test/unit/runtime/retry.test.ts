import { describe, expect, it } from 'vitest';
import { ConfigError, HttpError, TransientError } from '../../../src/runtime/errors.js';
import { backoffDelay, classifyError, DEFAULT_RETRY_POLICY, parseRetryAfter, withRetry } from '../../../src/runtime/retry.js';

const fast = { baseDelayMs: 1, maxDelayMs: 5, maxAttempts: 4 };

describe('retry policy', () => {
  it('retries 408/429/5xx and connection faults, not 4xx or config errors', () => {
    for (const s of [408, 429, 500, 502, 503, 504]) expect(classifyError(new HttpError('x', s)).retry, String(s)).toBe(true);
    for (const s of [400, 401, 403, 404, 412]) expect(classifyError(new HttpError('x', s)).retry, String(s)).toBe(false);
    expect(classifyError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })).retry).toBe(true);
    expect(classifyError(new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'UND_ERR_SOCKET' }) })).retry).toBe(true);
    expect(classifyError(new ConfigError('bad token')).retry).toBe(false);
    expect(classifyError(new TransientError('later')).retry).toBe(true);
    expect(classifyError(new Error('boom')).retry).toBe(false);
  });

  it('reads Retry-After as seconds (or an HTTP date) and prefers it to backoff', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter('0.5')).toBe(500);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', Date.parse('2026-01-01T00:00:00Z'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(classifyError(new HttpError('x', 429, 3000))).toEqual({ retry: true, delayMs: 3000 });
  });

  it('backs off exponentially with jitter, capped', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 1, low)).toBe(250);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 3, high)).toBe(2000);
    expect(backoffDelay(DEFAULT_RETRY_POLICY, 30, high)).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
  });

  it('returns the first success and reports each retry', async () => {
    const delays: number[] = [];
    let calls = 0;
    const value = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new HttpError('unavailable', 503, 2);
        return 'ok';
      },
      { operation: 'test call', policy: fast, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(value).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([2, 2]);
  });

  it('gives up after maxAttempts with a transient error naming the operation', async () => {
    let calls = 0;
    const err = await withRetry(async () => {
      calls++;
      throw new HttpError('bad gateway', 502);
    }, { operation: 'download of orders', policy: fast }).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).message).toBe('download of orders failed after 4 attempts: bad gateway');
  });

  it('does not retry a non-retryable error and stops when aborted', async () => {
    let calls = 0;
    await expect(withRetry(async () => {
      calls++;
      throw new ConfigError('no');
    }, { operation: 'x', policy: fast })).rejects.toBeInstanceOf(ConfigError);
    expect(calls).toBe(1);
    const controller = new AbortController();
    controller.abort();
    await expect(withRetry(async () => 1, { operation: 'x', signal: controller.signal })).rejects.toThrow();
  });

  it('gives up when the next wait would pass the deadline', async () => {
    let now = 0;
    let calls = 0;
    await expect(withRetry(async () => {
      calls++;
      now += 1000;
      throw new HttpError('x', 503, 1);
    }, { operation: 'x', policy: { ...fast, maxAttempts: 100, deadlineMs: 2500 }, now: () => now })).rejects.toThrow(/after 3 attempts/);
    expect(calls).toBe(3);
  });
});
