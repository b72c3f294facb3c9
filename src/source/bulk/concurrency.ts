/** Two small async primitives for the job scheduler: a counting semaphore and a bounded channel. */

export class Semaphore {
  private readonly waiters: Array<() => void> = [];
  constructor(private permits: number) {}

  async acquire(): Promise<void> {
    if (this.permits > 0) {
      this.permits--;
      return;
    }
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.permits++;
  }
}

/**
 * Many producers, one consumer. `push` resolves once the item is queued below capacity, so fast
 * producers wait for the consumer (backpressure) instead of growing memory. Capacity is a number of
 * items and, for items whose producer knows their size, a number of bytes: one large record weighs
 * as much as thousands of small ones, so a count alone does not bound memory when the consumer
 * (a destination on the other end of the pipe) is slow. An item always enters an empty channel,
 * however large, so nothing can wait forever.
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly spaceWaiters: Array<() => void> = [];
  private itemWaiter: (() => void) | undefined;
  private closed = false;
  private queuedBytes = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  /** Items waiting for the consumer, and the bytes their producers declared. */
  get size(): { items: number; bytes: number } {
    return { items: this.items.length, bytes: this.queuedBytes };
  }

  private full(): boolean {
    return this.items.length > 0 && (this.items.length >= this.capacity || this.queuedBytes >= this.maxBytes);
  }

  /** Queues `item`, declared as `bytes` large (0: small, only the item count bounds it). */
  async push(item: T, bytes = 0): Promise<void> {
    while (this.full() && !this.closed) await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    this.items.push(item);
    this.queuedBytes += bytes;
    this.wake();
  }

  close(): void {
    this.closed = true;
    // A producer still waiting for space must not hang: its item is queued and still delivered.
    for (const w of this.spaceWaiters.splice(0)) w();
    this.wake();
  }

  private wake(): void {
    const w = this.itemWaiter;
    this.itemWaiter = undefined;
    w?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.items.length > 0) {
        // The consumer holds at most one full channel's worth while it yields it, so memory stays
        // within about twice the capacity.
        const batch = this.items.splice(0, this.items.length);
        this.queuedBytes = 0;
        for (const w of this.spaceWaiters.splice(0)) w();
        yield* batch;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.itemWaiter = resolve));
    }
  }
}
