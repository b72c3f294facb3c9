/**
 * Keeps the main thread's young generation small during a long streaming read. Measured on 2 GB bulk
 * results of orders (`npm run bench`), peak RSS of the source fell from about 243 to 183 MB
 * (ungrouped) and from 182 to 154 MB (grouped), at the same speed:
 *
 * - `keepYoungGenerationSmall`: V8 grows the young generation (up to 3 × 16 MB) when many objects
 *   survive a scavenge, as queued socket chunks do during a download, and does not shrink it back.
 *   A growth factor of 1 keeps its initial size. V8 reads the factor each time it would grow, so
 *   setting it at startup works. The flag is process-wide, and V8 raises it back to 2 whenever it
 *   sets up an isolate's heap, so each worker thread sets it again once started (parse-worker.ts):
 *   without that the main thread's young generation doubled (8 → 17 MB) midway through 2 GB reads,
 *   and peak RSS with it.
 * - `collectYoungGarbage`: every socket read allocates a new buffer outside the JS heap, freed only
 *   when a collection finds its small JS wrapper dead. A download allocates little on the heap, so
 *   V8 collects only after about 64 MB of new external memory, and those dead chunks stay in the
 *   process's RSS. A scavenge every few MB read (well under a millisecond with a small young
 *   generation) frees them as they die.
 *
 * Neither changes what a program computes; both only tune when V8 reclaims memory.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options?: { type?: 'minor' | 'major' }) => void;

let gc: GcFunction | undefined;

export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}

/** A minor (young-generation) collection on this thread. */
export function collectYoungGarbage(): void {
  if (!gc) {
    const global = (globalThis as { gc?: GcFunction }).gc;
    if (typeof global === 'function') gc = global;
    else {
      // The flag exposes `gc` in contexts created after it is set: take it from a fresh one.
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as GcFunction;
    }
  }
  gc({ type: 'minor' });
}
