/**
 * A few large buffers kept for reuse across threads. Parse blocks and their outputs are about 1 MB
 * each and cross between threads by transfer; allocating each anew and freeing it in the other
 * thread churns the allocator (glibc then keeps freed memory in per-thread arenas), and source RSS
 * grew by ~20 % from 100 MB to 2 GB of orders. Sent back once used, the same few buffers serve the
 * whole read.
 */
export class BufferShelf {
  private readonly kept: ArrayBuffer[] = [];

  constructor(private readonly max: number) {}

  /** A buffer of at least `size` bytes over a whole ArrayBuffer: a kept one when one is large enough, else a new one of `max(size, capacity)` bytes. */
  take(size: number, capacity = size): Buffer {
    for (let i = 0; i < this.kept.length; i++) {
      const ab = this.kept[i]!;
      if (ab.byteLength >= size) {
        this.kept.splice(i, 1);
        return Buffer.from(ab);
      }
    }
    return Buffer.allocUnsafeSlow(Math.max(size, capacity));
  }

  /** Keeps `ab` for a later `take` (a detached or empty one, or one beyond `max`, is left to the garbage collector). */
  put(ab: ArrayBuffer): void {
    if (ab.byteLength > 0 && this.kept.length < this.max) this.kept.push(ab);
  }
}
