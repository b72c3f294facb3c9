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

  /**
   * A buffer of at least `size` bytes over a whole ArrayBuffer: a kept one when one is large enough,
   * else a new one of `max(size, capacity)` bytes and a quarter more, so that blocks of about the same
   * size fit it later. When none fits, the smallest kept one is dropped: the shelf follows the sizes in use.
   */
  take(size: number, capacity = size): Buffer {
    let smallest = -1;
    for (let i = 0; i < this.kept.length; i++) {
      const ab = this.kept[i]!;
      if (ab.byteLength >= size) {
        this.kept.splice(i, 1);
        return Buffer.from(ab);
      }
      if (smallest === -1 || ab.byteLength < this.kept[smallest]!.byteLength) smallest = i;
    }
    if (smallest !== -1) this.kept.splice(smallest, 1);
    const n = Math.max(size, capacity);
    return Buffer.allocUnsafeSlow(n + (n >> 2));
  }

  /** Keeps `ab` for a later `take` (a detached or empty one, or one beyond `max`, is left to the garbage collector). */
  put(ab: ArrayBuffer): void {
    if (ab.byteLength > 0 && this.kept.length < this.max) this.kept.push(ab);
  }
}
