import { describe, expect, it } from 'vitest';
import { Channel } from '../../../../src/source/bulk/concurrency.js';

/** Lets every pending microtask and promise continuation run. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Starts a push and reports whether it has been accepted yet. */
function pushing<T>(channel: Channel<T>, item: T, bytes?: number): { accepted: () => boolean; done: Promise<void> } {
  let accepted = false;
  const done = channel.push(item, bytes).then(() => {
    accepted = true;
  });
  return { accepted: () => accepted, done };
}

async function take<T>(iterator: AsyncIterator<T>, n: number): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < n; i++) {
    const next = await iterator.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

describe('Channel', () => {
  it('makes a producer wait once the declared bytes reach the budget, and lets it go when the consumer takes them', async () => {
    const channel = new Channel<string>(100, 1000);
    await channel.push('a', 600);
    await channel.push('b', 600); // enters: the queue held 600 < 1000 bytes
    const third = pushing(channel, 'c', 10);
    await settle();
    expect(third.accepted()).toBe(false);
    expect(channel.size).toEqual({ items: 2, bytes: 1200 });
    const iterator = channel[Symbol.asyncIterator]();
    expect(await take(iterator, 2)).toEqual(['a', 'b']);
    await third.done;
    expect(channel.size).toEqual({ items: 1, bytes: 10 });
    channel.close();
    expect(await take(iterator, 5)).toEqual(['c']);
  });

  it('still bounds items by count, whatever their bytes', async () => {
    const channel = new Channel<number>(2, 1_000_000);
    await channel.push(1);
    await channel.push(2);
    const third = pushing(channel, 3);
    await settle();
    expect(third.accepted()).toBe(false);
    const iterator = channel[Symbol.asyncIterator]();
    expect(await take(iterator, 1)).toEqual([1]);
    await third.done;
    channel.close();
    expect(await take(iterator, 5)).toEqual([2, 3]);
  });

  it('accepts an item larger than the whole budget into an empty channel, so it cannot wait forever', async () => {
    const channel = new Channel<string>(10, 100);
    const big = pushing(channel, 'huge', 10_000);
    await settle();
    expect(big.accepted()).toBe(true);
    const next = pushing(channel, 'small', 1);
    await settle();
    expect(next.accepted()).toBe(false);
    const iterator = channel[Symbol.asyncIterator]();
    expect(await take(iterator, 1)).toEqual(['huge']);
    await next.done;
    channel.close();
    expect(await take(iterator, 5)).toEqual(['small']);
  });

  it('releases waiting producers when closed, and the consumer still gets every item', async () => {
    const channel = new Channel<number>(1, 10);
    await channel.push(1, 50);
    const second = pushing(channel, 2, 50);
    await settle();
    expect(second.accepted()).toBe(false);
    channel.close();
    await second.done;
    const got: number[] = [];
    for await (const n of channel) got.push(n);
    expect(got).toEqual([1, 2]);
  });
});
