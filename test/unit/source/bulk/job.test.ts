import { describe, expect, it } from 'vitest';
import { decide, type JobContext } from '../../../../src/source/bulk/job.js';
import type { BulkOperation } from '../../../../src/source/bulk/operations.js';

const op = (over: Partial<BulkOperation>): BulkOperation => ({
  id: 'gid://shopify/BulkOperation/1',
  status: 'RUNNING',
  errorCode: null,
  createdAt: undefined,
  objectCount: 0,
  rootObjectCount: 0,
  fileSize: undefined,
  url: null,
  partialDataUrl: null,
  ...over,
});
const ctx = (over: Partial<JobContext> = {}): JobContext => ({
  cancelRequested: false,
  splittable: true,
  elapsedMs: 1000,
  terminationThresholdMs: 10_000,
  checkpointInterval: 100,
  ...over,
});

describe('bulk job state machine', () => {
  it('waits while created or running within limits', () => {
    expect(decide(op({ status: 'CREATED' }), ctx())).toEqual({ action: 'wait' });
    expect(decide(op({ status: 'RUNNING', objectCount: 100 }), ctx())).toEqual({ action: 'wait' });
  });
  it('cancels a job past the termination threshold or the checkpoint interval, only when it can split', () => {
    expect(decide(op({}), ctx({ elapsedMs: 10_001 })).action).toBe('cancel');
    expect(decide(op({ objectCount: 101 }), ctx()).action).toBe('cancel');
    expect(decide(op({ objectCount: 101 }), ctx({ splittable: false }))).toEqual({ action: 'wait' });
    expect(decide(op({ objectCount: 101 }), ctx({ cancelRequested: true }))).toEqual({ action: 'wait' });
  });
  it('waits while canceling, splits after its own cancel, retries after a foreign one', () => {
    expect(decide(op({ status: 'CANCELING' }), ctx({ cancelRequested: true }))).toEqual({ action: 'wait' });
    expect(decide(op({ status: 'CANCELED' }), ctx({ cancelRequested: true }))).toMatchObject({ action: 'split', failure: false });
    expect(decide(op({ status: 'CANCELED' }), ctx()).action).toBe('retry');
  });
  it('downloads a completed job, including one that completed before our cancel, and a null url', () => {
    expect(decide(op({ status: 'COMPLETED', url: 'http://x/f' }), ctx({ cancelRequested: true }))).toEqual({ action: 'download', url: 'http://x/f' });
    expect(decide(op({ status: 'COMPLETED' }), ctx())).toEqual({ action: 'download', url: null });
  });
  it('keeps errorCode apart from status: ACCESS_DENIED fails as config, others split as failures', () => {
    expect(decide(op({ status: 'FAILED', errorCode: 'ACCESS_DENIED' }), ctx())).toMatchObject({ action: 'fail', configError: true });
    expect(decide(op({ status: 'FAILED', errorCode: 'TIMEOUT' }), ctx())).toMatchObject({ action: 'split', failure: true });
    expect(decide(op({ status: 'FAILED', errorCode: 'INTERNAL_SERVER_ERROR' }), ctx())).toMatchObject({ action: 'split', failure: true });
    expect(decide(op({ status: 'EXPIRED' }), ctx()).action).toBe('retry');
  });
});
