/**
 * Which STATE messages may be echoed. A STREAM state waits until its stream has committed every part
 * that holds a record received before it (its barrier); a GLOBAL or LEGACY state waits for every stream's
 * barrier. Per stream, and for global states, echo order is arrival order. Each echoed state carries
 * `destinationStats.recordCount`: the records of its scope received since the previous state.
 */
import type { StateMessage } from '../protocol/messages.js';

interface Pending {
  message: StateMessage;
  barriers: Array<{ key: string; parts: number }>;
}

export class StateTracker {
  private readonly streamQueues = new Map<string, Pending[]>();
  private readonly globalQueue: Pending[] = [];
  private readonly sinceState = new Map<string, number>();
  private sinceGlobal = 0;

  countRecord(key: string): void {
    this.sinceState.set(key, (this.sinceState.get(key) ?? 0) + 1);
    this.sinceGlobal++;
  }

  get pending(): number {
    let n = this.globalQueue.length;
    for (const q of this.streamQueues.values()) n += q.length;
    return n;
  }

  /** Keys of streams with a state waiting (their open parts are candidates for an early close). */
  waitingKeys(): string[] {
    if (this.globalQueue.length > 0) return ['*'];
    return [...this.streamQueues].filter(([, q]) => q.length > 0).map(([k]) => k);
  }

  addStreamState(key: string, message: StateMessage, parts: number): void {
    const count = this.sinceState.get(key) ?? 0;
    this.sinceState.set(key, 0);
    const queue = this.streamQueues.get(key) ?? [];
    queue.push({ message: withCount(message, count), barriers: [{ key, parts }] });
    this.streamQueues.set(key, queue);
  }

  addGlobalState(message: StateMessage, barriers: Array<{ key: string; parts: number }>): void {
    const count = this.sinceGlobal;
    this.sinceGlobal = 0;
    for (const key of this.sinceState.keys()) this.sinceState.set(key, 0);
    this.globalQueue.push({ message: withCount(message, count), barriers });
  }

  /** Removes and returns, in order, every state whose data is committed. */
  ready(committed: (key: string) => number): StateMessage[] {
    const out: StateMessage[] = [];
    const take = (queue: Pending[]): void => {
      while (queue.length > 0 && queue[0]!.barriers.every((b) => committed(b.key) >= b.parts)) out.push(queue.shift()!.message);
    };
    for (const queue of this.streamQueues.values()) take(queue);
    take(this.globalQueue);
    return out;
  }
}

function withCount(message: StateMessage, recordCount: number): StateMessage {
  return { type: 'STATE', state: { ...message.state, destinationStats: { ...message.state.destinationStats, recordCount } } };
}
