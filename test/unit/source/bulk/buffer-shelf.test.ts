import { describe, expect, it } from 'vitest';
import { BufferShelf } from '../../../../src/source/bulk/buffer-shelf.js';

describe('buffer shelf', () => {
  it('gives back a kept buffer that fits, and a new one with room to spare otherwise', () => {
    const shelf = new BufferShelf(2);
    const first = shelf.take(1000);
    expect(first.byteOffset).toBe(0);
    expect(first.length).toBe(first.buffer.byteLength);
    expect(first.length).toBeGreaterThanOrEqual(1200);
    shelf.put(first.buffer as ArrayBuffer);
    // A slightly larger block still fits the kept buffer: the same memory comes back.
    const again = shelf.take(1100);
    expect(again.buffer).toBe(first.buffer);
    expect(shelf.take(1100).buffer).not.toBe(first.buffer);
  });

  it('keeps at most its limit, ignores detached buffers, and drops the smallest when none fits', () => {
    const shelf = new BufferShelf(2);
    const [a, b, c] = [shelf.take(100), shelf.take(200), shelf.take(300)];
    for (const x of [a, b, c]) shelf.put(x.buffer as ArrayBuffer);
    const detached = new ArrayBuffer(64);
    structuredClone(detached, { transfer: [detached] });
    shelf.put(detached);
    // Only a and b were kept; a request larger than both drops a (the smallest) and allocates.
    const big = shelf.take(1000);
    expect([a.buffer, b.buffer]).not.toContain(big.buffer);
    expect(shelf.take(150).buffer).toBe(b.buffer);
    expect(shelf.take(10).buffer).not.toBe(a.buffer);
  });
});
