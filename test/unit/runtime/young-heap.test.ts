import { describe, expect, it } from 'vitest';
import { collectYoungGarbage, keepYoungGenerationSmall } from '../../../src/runtime/young-heap.js';

const MB = 1024 * 1024;
const arrayBufferBytes = (): number => process.memoryUsage().arrayBuffers;
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

/** Bytes of dead buffers (like socket chunks already copied) that `collect` gives back. */
async function reclaimedBy(collect: () => void): Promise<number> {
  let chunks: Buffer[] | undefined = Array.from({ length: 8 }, () => Buffer.allocUnsafeSlow(MB));
  const before = arrayBufferBytes();
  chunks = undefined;
  collect();
  await settle();
  return before - arrayBufferBytes();
}

describe('young generation tuning', () => {
  it('a minor collection frees buffers that just died, every time it is asked', async () => {
    keepYoungGenerationSmall();
    // Left alone, dead buffers stay counted: nothing collects them this soon, unless a scavenge that
    // the test runner's own allocations triggered happens to fall in the window; so of five tries
    // at least one must keep them.
    const leftAlone: number[] = [];
    for (let i = 0; i < 5 && !leftAlone.some((bytes) => bytes < MB); i++) leftAlone.push(await reclaimedBy(() => undefined));
    expect(Math.min(...leftAlone)).toBeLessThan(MB);
    collectYoungGarbage(); // those from the line above
    await settle();
    for (let i = 0; i < 3; i++) expect(await reclaimedBy(collectYoungGarbage)).toBeGreaterThanOrEqual(7 * MB);
  });
});
