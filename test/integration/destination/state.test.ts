import { describe, expect, it } from 'vitest';
import type { AirbyteMessage, StateMessage } from '../../../src/protocol/messages.js';
import { expectValidMessages } from '../../support/protocol.js';
import { uniqueBucket } from '../../support/gcs-emulator.js';
import { catalogOf, destinationConfig, emulatorStorage, emulatorUrl, listNames, readJsonl, record, runWrite, streamState } from './harness.js';

const STREAMS = ['orders', 'customers', 'products'];

async function idsInGcs(bucket: string, stream: string): Promise<Set<number>> {
  const rows = await readJsonl(emulatorStorage(emulatorUrl()), bucket, `data/${stream}/`);
  return new Set(rows.map((r) => (r._airbyte_data as { id: number }).id));
}

describe('STATE echo', () => {
  it('echoes each state only once every record before it is readable in GCS, per stream, in order', async () => {
    const bucket = uniqueBucket('state-order');
    const config = destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: emulatorUrl(), state_flush_interval_seconds: 1 });
    let clock = 1_714_521_600_000;
    const sentBefore = new Map<string, number[]>(); // stream → ids sent so far
    const expectedAtState = new Map<string, number[]>(); // "stream:cursor" → ids sent before that state
    let consumed = 0;
    async function* input(): AsyncGenerator<AirbyteMessage> {
      let id = 0;
      for (let round = 0; round < 5; round++) {
        for (const stream of STREAMS) {
          for (let i = 0; i < 30; i++) {
            const ids = sentBefore.get(stream) ?? [];
            ids.push(++id);
            sentBefore.set(stream, ids);
            consumed++;
            yield record(stream, { id, round });
          }
          expectedAtState.set(`${stream}:${round}`, [...(sentBefore.get(stream) ?? [])]);
          clock += 2000; // past the 1 s interval: this state closes the stream's part early
          consumed++;
          yield streamState(stream, { cursor: round });
        }
      }
    }
    const echoedDuringInput: string[] = [];
    const total = 5 * STREAMS.length * 31;
    const run = await runWrite(config, catalogOf(STREAMS.map((name) => ({ name }))), input(), {
      write: { now: () => clock },
      onOutput: async (m) => {
        if (m.type !== 'STATE') return;
        const { stream_descriptor, stream_state } = m.state.stream!;
        const key = `${stream_descriptor.name}:${String(stream_state?.cursor)}`;
        if (consumed < total) echoedDuringInput.push(key);
        const inGcs = await idsInGcs(bucket, stream_descriptor.name);
        for (const id of expectedAtState.get(key) ?? ['unknown state']) expect(inGcs.has(id as number), `${key}: record ${id}`).toBe(true);
      },
    });
    expect(run.error).toBeUndefined();
    expectValidMessages(run.output);
    const states = run.output.filter((m): m is StateMessage => m.type === 'STATE');
    expect(states).toHaveLength(15);
    for (const stream of STREAMS) {
      const cursors = states.filter((s) => s.state.stream?.stream_descriptor.name === stream).map((s) => s.state.stream?.stream_state?.cursor);
      expect(cursors).toEqual([0, 1, 2, 3, 4]);
    }
    expect(states.every((s) => s.state.destinationStats?.recordCount === 30)).toBe(true);
    // Checkpoints flowed while the input was still being read, not only at its end.
    expect(echoedDuringInput.length).toBeGreaterThan(0);
    expect((await listNames(emulatorStorage(emulatorUrl()), bucket, 'data/orders/')).length).toBeGreaterThan(1);
  });

  it('holds a state while its part is open (interval not reached) and echoes it at end of input', async () => {
    const bucket = uniqueBucket('state-hold');
    const config = destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: emulatorUrl() }); // 300 s interval
    const seen: Array<{ state: unknown; readable: number }> = [];
    const run = await runWrite(config, catalogOf([{ name: 'orders' }]), [record('orders', { id: 1 }), streamState('orders', { c: 1 }), record('orders', { id: 2 }), streamState('orders', { c: 2 })], {
      onOutput: async (m) => {
        if (m.type === 'STATE') seen.push({ state: m.state.stream?.stream_state, readable: (await idsInGcs(bucket, 'orders')).size });
      },
    });
    expect(run.error).toBeUndefined();
    expect(seen).toEqual([{ state: { c: 1 }, readable: 2 }, { state: { c: 2 }, readable: 2 }]);
    expect(await listNames(emulatorStorage(emulatorUrl()), bucket)).toHaveLength(1);
  });

  it('echoes a GLOBAL state only after every stream is flushed', async () => {
    const bucket = uniqueBucket('state-global');
    const config = destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: emulatorUrl(), state_flush_interval_seconds: 1 });
    let clock = 0;
    const global = (n: number): AirbyteMessage => ({ type: 'STATE', state: { type: 'GLOBAL', global: { shared_state: { n }, stream_states: [] } } });
    async function* input(): AsyncGenerator<AirbyteMessage> {
      yield record('orders', { id: 1 });
      yield record('customers', { id: 2 });
      clock += 5000;
      yield global(1);
      yield record('orders', { id: 3 });
      clock += 5000;
      yield global(2);
    }
    const checks: Array<[unknown, number, number]> = [];
    const run = await runWrite(config, catalogOf([{ name: 'orders' }, { name: 'customers' }]), input(), {
      write: { now: () => clock },
      onOutput: async (m) => {
        if (m.type === 'STATE') checks.push([m.state.global?.shared_state, (await idsInGcs(bucket, 'orders')).size, (await idsInGcs(bucket, 'customers')).size]);
      },
    });
    expect(run.error).toBeUndefined();
    expect(checks.map(([s]) => s)).toEqual([{ n: 1 }, { n: 2 }]);
    // Readable at echo time: at least the records before each state (later ones may already be there too).
    expect(checks[0]![1]).toBeGreaterThanOrEqual(1);
    expect(checks[0]![2]).toBe(1);
    expect(checks[1]!.slice(1)).toEqual([2, 1]);
  });

  it('rotates parts at the object size and bounds open parts however many streams interleave', async () => {
    const bucket = uniqueBucket('rotate');
    const config = destinationConfig({
      gcs_bucket_name: bucket, gcs_endpoint: emulatorUrl(), max_object_size_mb: 1,
      format: { format_type: 'JSONL', compression: { compression_type: 'No Compression' } },
    });
    const padding = 'x'.repeat(2000);
    const streams = Array.from({ length: 12 }, (_, i) => `s${i}`);
    const messages: AirbyteMessage[] = [];
    for (let i = 0; i < 1200; i++) messages.push(record('s0', { id: i, padding }));
    for (let round = 0; round < 3; round++) for (const s of streams) messages.push(record(s, { id: 10_000 + round, padding: 'y' }));
    const run = await runWrite(config, catalogOf(streams.map((name) => ({ name }))), messages, { write: { maxOpenParts: 4 } });
    expect(run.error).toBeUndefined();
    const storage = emulatorStorage(emulatorUrl());
    const s0 = await listNames(storage, bucket, 'data/s0/');
    expect(s0.length).toBeGreaterThanOrEqual(3); // ~2.5 MB in 1 MiB parts
    expect(s0.map((n) => /_(\d+)\.jsonl$/.exec(n)?.[1]).sort()).toEqual(s0.map((_, i) => String(i)).sort());
    const rows = await readJsonl(storage, bucket, 'data/s0/');
    expect(rows.map((r) => (r._airbyte_data as { id: number }).id).sort((a, b) => a - b)).toEqual([...Array.from({ length: 1200 }, (_, i) => i), 10_000, 10_001, 10_002]);
    // With 4 open parts for 12 interleaved streams, parts were closed early: more than one object per small stream.
    for (const s of streams.slice(1)) {
      expect((await readJsonl(storage, bucket, `data/${s}/`)).length).toBe(3);
      expect((await listNames(storage, bucket, `data/${s}/`)).length).toBeGreaterThan(1);
    }
  });
});
