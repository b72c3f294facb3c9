import { describe, expect, it } from 'vitest';
import { planWindows, splitWindow, windowFilter, airbyteTimestamp } from '../../../../src/source/bulk/slices.js';
import { StateTracker, cursorFromState } from '../../../../src/source/bulk/state.js';
import { parseInputState } from '../../../../src/source/read-input.js';
import { ConfigError } from '../../../../src/runtime/errors.js';

const T = (s: string): number => Date.parse(s);
const DAY = 86_400_000;

describe('date windows', () => {
  it('covers [start, end) with contiguous half-open windows on whole seconds', () => {
    const w = planWindows(T('2024-01-01T00:00:00.500Z'), T('2024-01-25T12:00:00Z'), 10);
    expect(w.map((x) => [new Date(x.start).toISOString(), new Date(x.end).toISOString()])).toEqual([
      ['2024-01-01T00:00:00.000Z', '2024-01-11T00:00:00.000Z'],
      ['2024-01-11T00:00:00.000Z', '2024-01-21T00:00:00.000Z'],
      ['2024-01-21T00:00:00.000Z', '2024-01-25T12:00:00.000Z'],
    ]);
    expect(planWindows(T('2030-01-01'), T('2024-01-01'), 30)).toEqual([]);
  });
  it('splits in two at a whole second and refuses a one-second window', () => {
    const [a, b] = splitWindow({ start: 0, end: 3000 })!;
    expect(a).toEqual({ start: 0, end: 1000 });
    expect(b).toEqual({ start: 1000, end: 3000 });
    expect(splitWindow({ start: 0, end: 1000 })).toBeUndefined();
    const halves = splitWindow({ start: 0, end: DAY })!;
    expect(halves[0].end).toBe(halves[1].start);
  });
  it('writes the half-open search filter and Airbyte timestamps', () => {
    expect(windowFilter('updated_at', { start: T('2024-01-01T00:00:00Z'), end: T('2024-02-01T00:00:00Z') })).toBe(
      "updated_at:>='2024-01-01T00:00:00Z' AND updated_at:<'2024-02-01T00:00:00Z'",
    );
    expect(airbyteTimestamp(T('2024-05-01T00:00:00Z'))).toBe('2024-05-01T00:00:00+00:00');
  });
});

describe('state', () => {
  it('reads per-stream, single and legacy state', () => {
    const list = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'orders' }, stream_state: { updated_at: '2024-01-01T00:00:00+00:00' } } }];
    expect(parseInputState(list).get('orders')).toEqual({ updated_at: '2024-01-01T00:00:00+00:00' });
    expect(parseInputState(list[0]).get('orders')).toBeDefined();
    expect(parseInputState({ orders: { updated_at: 'x' } }).get('orders')).toEqual({ updated_at: 'x' });
    expect(parseInputState(undefined).size).toBe(0);
    expect(() => cursorFromState('orders', 'updated_at', { updated_at: 'not a date' })).toThrow(ConfigError);
    expect(cursorFromState('orders', 'updated_at', { updated_at: '2027-07-11T13:07:45-07:00' })).toBe(T('2027-07-11T20:07:45Z'));
  });
  it('advances only to the end of the longest contiguous run of finished slices, with exact counts', () => {
    const w = [
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 20, end: 30 },
    ];
    const t = new StateTracker(w);
    t.countRecord(5);
    t.finish(w[1]!); // out of order: nothing contiguous yet
    expect(t.takeState(false)).toBeUndefined();
    t.countRecord(2);
    t.finish(w[0]!);
    expect(t.takeState(false)).toEqual({ frontier: 20, recordCount: 7, jobs: [] });
    // a split window keeps its place
    const halves = [
      { start: 20, end: 25 },
      { start: 25, end: 30 },
    ];
    t.split(w[2]!, halves);
    t.finish(halves[1]!);
    t.countRecord(1);
    expect(t.takeState(false)).toBeUndefined();
    t.finish(halves[0]!);
    expect(t.takeState(false)).toEqual({ frontier: 30, recordCount: 1, jobs: [] });
    expect(t.allDone()).toBe(true);
  });
  it('gives one forced STATE even without slices or records', () => {
    const t = new StateTracker([]);
    expect(t.takeState(true)).toEqual({ frontier: undefined, recordCount: 0, jobs: [] });
    expect(t.takeState(true)).toBeUndefined();
  });
  it('does not move past a failed slice', () => {
    const w = [
      { start: 0, end: 10 },
      { start: 10, end: 20 },
    ];
    const t = new StateTracker(w);
    t.fail(w[0]!);
    t.finish(w[1]!);
    t.countRecord(3);
    expect(t.takeState(true)).toEqual({ frontier: undefined, recordCount: 3, jobs: [] });
  });
});
