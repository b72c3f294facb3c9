/**
 * close() removes the result directory only after every bulk writer has stopped: a writer that
 * opened its file while the directory was being removed made the removal fail with ENOTEMPTY.
 */
import { describe, expect, it } from 'vitest';
import { SimClock } from '../../src/simulator/clock.js';
import { BulkOperations } from '../../src/simulator/bulk/operations.js';
import type { BulkJob } from '../../src/simulator/bulk/operations.js';
import { ResultFiles } from '../../src/simulator/bulk/files.js';
import { FAST_TIMINGS } from '../../src/simulator/bulk/types.js';

function operations(files: ResultFiles, start: (job: BulkJob) => Promise<void>): BulkOperations {
  return new BulkOperations({ clock: new SimClock(), files, timings: () => FAST_TIMINGS, baseUrl: () => 'http://127.0.0.1:1', start });
}

/** Operations whose writers are held open until the test lets each of them go. */
function heldOperations(files: ResultFiles): { operations: BulkOperations; jobs: BulkJob[]; release: () => void } {
  const jobs: BulkJob[] = [];
  const waiting: Array<() => void> = [];
  const held = operations(files, (job) => {
    jobs.push(job);
    return new Promise<void>((resolve) => waiting.push(resolve));
  });
  return { operations: held, jobs, release: () => waiting.splice(0).forEach((resolve) => resolve()) };
}

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 20));
  return done;
};

describe('BulkOperations.stop', () => {
  it('asks every writer to stop and resolves only once they all have, including jobs dropped by a reset', async () => {
    const files = new ResultFiles();
    try {
      const { operations: held, jobs, release } = heldOperations(files);
      expect(held.runQuery('{ products { edges { node { id } } } }', '2026-07', 't', new Set(), false, () => ({})).userErrors).toEqual([]);
      held.reset();
      expect(held.runQuery('{ orders { edges { node { id } } } }', '2026-07', 't', new Set(), false, () => ({})).userErrors).toEqual([]);
      const stopping = held.stop();
      expect(jobs.map((job) => job.stopRequested)).toEqual([true, true]);
      expect(await settled(stopping)).toBe(false);
      release();
      expect(await settled(stopping)).toBe(true);
    } finally {
      files.cleanup();
    }
  });

  it('resolves at once when no writer runs, and a rejected writer does not make it reject', async () => {
    const files = new ResultFiles();
    try {
      const failing = operations(files, () => Promise.reject(new Error('disk full')));
      await failing.stop();
      failing.runQuery('{ products { edges { node { id } } } }', '2026-07', 't', new Set(), false, () => ({}));
      await expect(failing.stop()).resolves.toBeUndefined();
    } finally {
      files.cleanup();
    }
  });
});
