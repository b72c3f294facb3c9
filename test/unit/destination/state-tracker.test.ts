import { describe, expect, it } from 'vitest';
import type { StateMessage } from '../../../src/protocol/messages.js';
import { StateTracker } from '../../../src/destination/state-tracker.js';

const stream = (name: string, c: number): StateMessage => ({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: { c } } } });
const global = (n: number): StateMessage => ({ type: 'STATE', state: { type: 'GLOBAL', global: { shared_state: { n }, stream_states: [] } } });

describe('StateTracker', () => {
  it('releases stream states in order once their barrier is committed, independently per stream', () => {
    const t = new StateTracker();
    const committed = new Map<string, number>();
    const ready = () => t.ready((k) => committed.get(k) ?? 0).map((m) => m.state.stream?.stream_state?.c ?? m.state.global?.shared_state?.n);
    t.countRecord('a');
    t.addStreamState('a', stream('a', 1), 1);
    t.addStreamState('a', stream('a', 2), 2);
    t.addStreamState('b', stream('b', 10), 0);
    expect(ready()).toEqual([10]);
    committed.set('a', 1);
    expect(ready()).toEqual([1]);
    t.addGlobalState(global(99), [{ key: 'a', parts: 2 }, { key: 'b', parts: 1 }]);
    committed.set('a', 2);
    expect(ready()).toEqual([2]);
    expect(t.pending).toBe(1);
    committed.set('b', 1);
    expect(ready()).toEqual([99]);
    expect(t.pending).toBe(0);
  });

  it('adds destinationStats.recordCount: records of the scope since its previous state', () => {
    const t = new StateTracker();
    for (let i = 0; i < 3; i++) t.countRecord('a');
    t.addStreamState('a', stream('a', 1), 0);
    t.countRecord('a');
    t.countRecord('b');
    t.addGlobalState(global(1), []);
    const [s, g] = t.ready(() => 0);
    expect(s?.state.destinationStats).toEqual({ recordCount: 3 });
    expect(g?.state.destinationStats).toEqual({ recordCount: 5 });
  });
});
