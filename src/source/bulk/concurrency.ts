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
 * producers wait for the consumer (backpressure) instead of growing memory.
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly spaceWaiters: Array<() => void> = [];
  private itemWaiter: (() => void) | undefined;
  private closed = false;

  constructor(private readonly capacity: number) {}

  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.closed) await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    this.items.push(item);
    this.wake();
  }

  close(): void {
    this.closed = true;
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
        const batch = this.items.splice(0, this.items.length);
        for (const w of this.spaceWaiters.splice(0)) w();
        yield* batch;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.itemWaiter = resolve));
    }
  }
}
