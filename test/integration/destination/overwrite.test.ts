import { describe, expect, it } from 'vitest';
import type { AirbyteMessage } from '../../../src/protocol/messages.js';
import { uniqueBucket } from '../../support/gcs-emulator.js';
import { catalogOf, complete, destinationConfig, emulatorStorage, emulatorUrl, listNames, readJsonl, record, runWrite, streamState } from './harness.js';

const sync = (ids: number[], done = true): AirbyteMessage[] => [
  ...ids.map((id) => record('orders', { id })),
  streamState('orders', { last: ids.at(-1) }),
  ...(done ? [complete('orders')] : []),
];

async function ordersIds(bucket: string): Promise<number[]> {
  const rows = await readJsonl(emulatorStorage(emulatorUrl()), bucket, 'data/orders/2'); // the synced parts, not the hand-added file
  return rows.map((r) => (r._airbyte_data as { id: number }).id).sort((a, b) => a - b);
}

describe('overwrite with generations', () => {
  it('keeps the previous generation when the sync fails and removes it when the sync succeeds', async () => {
    const url = emulatorUrl();
    const bucket = uniqueBucket('overwrite');
    const config = destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: url });
    const storage = emulatorStorage(url);
    const gen = (g: number) => catalogOf([{ name: 'orders', mode: 'overwrite', generation: g, minimumGeneration: g }, { name: 'customers', mode: 'append', generation: g, minimumGeneration: 0 }]);

    expect((await runWrite(config, gen(1), [...sync([1, 2]), record('customers', { id: 9 })])).error).toBeUndefined();
    // Objects nobody tagged (added by hand) under the stream's prefix are never deleted.
    await storage.bucket(bucket).file('data/orders/by-hand.txt').save('keep me', { resumable: false });
    expect(await ordersIds(bucket)).toEqual([1, 2]);
    const [gen1] = await listNames(storage, bucket, 'data/orders/2');
    const [meta] = await storage.bucket(bucket).file(gen1!).getMetadata();
    expect(meta.metadata).toMatchObject({ 'ab-generation-id': '1', 'ab-stream': 'orders', 'ab-sync-id': '42' });

    // A sync of generation 2 whose input breaks off mid-way: it fails and deletes nothing.
    async function* failing(): AsyncGenerator<AirbyteMessage> {
      yield* sync([3, 4], false);
      throw new Error('source went away');
    }
    const failed = await runWrite(config, gen(2), failing());
    expect(String(failed.error)).toMatch(/source went away/);
    expect(await ordersIds(bucket)).toEqual([1, 2]);

    // A generation-2 sync that ends without the stream reporting COMPLETE keeps generation 1 as well.
    expect((await runWrite(config, gen(2), sync([5], false))).error).toBeUndefined();
    expect(await ordersIds(bucket)).toEqual([1, 2, 5]);

    // The successful generation-2 sync removes generation 1 (and only that).
    expect((await runWrite(config, gen(2), sync([6, 7]))).error).toBeUndefined();
    expect(await ordersIds(bucket)).toEqual([5, 6, 7]);
    expect(await listNames(storage, bucket, 'data/orders/by-hand')).toEqual(['data/orders/by-hand.txt']);
    expect(await readJsonl(storage, bucket, 'data/customers/')).toHaveLength(1); // another stream is untouched
  });

  it('with null generation ids tags nothing and deletes nothing', async () => {
    const url = emulatorUrl();
    const bucket = uniqueBucket('overwrite-null');
    const config = destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: url });
    const catalog = catalogOf([{ name: 'orders', mode: 'overwrite', generation: null, minimumGeneration: null, syncId: null }]);
    expect((await runWrite(config, catalog, sync([1]))).error).toBeUndefined();
    expect((await runWrite(config, catalog, sync([2]))).error).toBeUndefined();
    expect(await ordersIds(bucket)).toEqual([1, 2]);
    const storage = emulatorStorage(url);
    const names = await listNames(storage, bucket);
    const [meta] = await storage.bucket(bucket).file(names[0]!).getMetadata();
    expect(meta.metadata ?? {}).toEqual({});
    const rows = await readJsonl(storage, bucket);
    expect(rows[0]).toMatchObject({ _airbyte_generation_id: null, _airbyte_meta: { changes: [], sync_id: null } });
  });
});
