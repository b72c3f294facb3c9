import { afterEach, describe, expect, it } from 'vitest';
import type { AirbyteMessage } from '../../../src/protocol/messages.js';
import { STREAM_BEHIND_LIMIT_BYTES } from '../../../src/destination/gcs/objects.js';
import { ConnectorError } from '../../../src/runtime/errors.js';
import { startFaultProxy, uniqueBucket, type FaultProxy } from '../../support/gcs-emulator.js';
import { catalogOf, complete, destinationConfig, emulatorStorage, emulatorUrl, listNames, readJsonl, record, runWrite, streamState } from './harness.js';

const isUpload = (r: { method: string; url: string }): boolean => r.url.startsWith('/upload/');
const input: AirbyteMessage[] = [...Array.from({ length: 50 }, (_, i) => record('orders', { id: i })), streamState('orders', { c: 1 }), complete('orders')];

describe('upload faults (a proxy in front of the emulator)', () => {
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it('retries 503s, connection resets and slow responses, and writes each record exactly once', async () => {
    proxy = await startFaultProxy(emulatorUrl());
    proxy.inject({ fault: { kind: 'status', status: 503, retryAfterSeconds: 0 }, match: isUpload });
    proxy.inject({ fault: { kind: 'reset' }, match: isUpload });
    proxy.inject({ fault: { kind: 'delay', ms: 300 }, match: isUpload });
    const bucket = uniqueBucket('faults');
    const run = await runWrite(destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: proxy.url }), catalogOf([{ name: 'orders' }]), input);
    expect(run.error).toBeUndefined();
    expect(run.output.filter((m) => m.type === 'STATE')).toHaveLength(1);
    expect(proxy.log.filter((r) => r.fault).map((r) => r.fault)).toEqual(['status', 'reset', 'delay']);
    const storage = emulatorStorage(emulatorUrl());
    expect(await listNames(storage, bucket)).toHaveLength(1);
    const ids = (await readJsonl(storage, bucket)).map((r) => (r._airbyte_data as { id: number }).id);
    expect(ids).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('does not upload a part again when a retry finds it already finalized', async () => {
    proxy = await startFaultProxy(emulatorUrl());
    // The upload's bytes reach the emulator and the object is finalized, but the client sees a reset.
    proxy.inject({ fault: { kind: 'drop-response' }, match: (r) => r.method === 'PUT' && isUpload(r) });
    const bucket = uniqueBucket('idempotent');
    const config = destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: proxy.url });
    const run = await runWrite(config, catalogOf([{ name: 'orders' }]), input);
    expect(run.error).toBeUndefined();
    expect(await listNames(emulatorStorage(emulatorUrl()), bucket)).toHaveLength(1);
    expect(proxy.log.filter((r) => r.fault).map((r) => r.fault)).toEqual(['drop-response']);
    // The retry found the finished object (same MD5) and sent the bytes no second time.
    expect(proxy.log.filter((r) => r.method === 'PUT')).toHaveLength(1);
    expect(run.output.filter((m) => m.type === 'STATE')).toHaveLength(1);
  });

  it("streams a part's bytes while the part is still being written", async () => {
    proxy = await startFaultProxy(emulatorUrl());
    const bucket = uniqueBucket('streamed');
    const filler = 'x'.repeat(10_000);
    const log = proxy.log;
    let uploadingBeforeEnd = false;
    async function* input(): AsyncGenerator<AirbyteMessage> {
      for (let i = 0; i < 300; i++) yield record('orders', { id: i, filler });
      // 3 MB written and the input not over: the part's upload is already under way.
      const deadline = Date.now() + 5000;
      while (!log.some((r) => r.method === 'PUT' && isUpload(r)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      uploadingBeforeEnd = log.some((r) => r.method === 'PUT' && isUpload(r));
      yield streamState('orders', { c: 1 });
      yield complete('orders');
    }
    const config = destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: proxy.url, format: { format_type: 'JSONL', compression: { compression_type: 'No Compression' } } });
    const run = await runWrite(config, catalogOf([{ name: 'orders' }]), input());
    expect(run.error).toBeUndefined();
    expect(uploadingBeforeEnd).toBe(true);
    expect(log.filter((r) => r.method === 'PUT' && isUpload(r))).toHaveLength(1);
    const ids = (await readJsonl(emulatorStorage(emulatorUrl()), bucket)).map((r) => (r._airbyte_data as { id: number }).id);
    expect(ids).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it('finishes the streamed upload through a connection that stalls for seconds', { timeout: 30_000 }, async () => {
    proxy = await startFaultProxy(emulatorUrl());
    // The streamed upload's bytes are not read for seconds: far more than the limit is written meanwhile.
    proxy.inject({ fault: { kind: 'delay', ms: 2000 }, match: (r) => r.method === 'PUT' && isUpload(r) });
    const bucket = uniqueBucket('behind');
    const filler = 'x'.repeat(10_000);
    const count = Math.ceil((STREAM_BEHIND_LIMIT_BYTES * 8) / filler.length);
    const many = [...Array.from({ length: count }, (_, i) => record('orders', { id: i, filler })), streamState('orders', { c: 1 }), complete('orders')];
    const config = destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: proxy.url, format: { format_type: 'JSONL', compression: { compression_type: 'No Compression' } } });
    const run = await runWrite(config, catalogOf([{ name: 'orders' }]), many);
    expect(run.error, String(run.error)).toBeUndefined();
    // The writer waited for the connection (unit/destination/streamed-upload.test.ts) and the one upload completed.
    const requests = JSON.stringify(proxy.log.map((r) => `${r.method} ${r.url.slice(0, 60)} ${r.fault ?? ''}`));
    expect(proxy.log.filter((r) => r.method === 'PUT' && isUpload(r)).map((r) => r.fault), requests).toEqual(['delay']);
    const storage = emulatorStorage(emulatorUrl());
    expect(await listNames(storage, bucket)).toHaveLength(1);
    const ids = (await readJsonl(storage, bucket)).map((r) => (r._airbyte_data as { id: number }).id);
    expect(ids).toEqual(Array.from({ length: count }, (_, i) => i));
    expect(run.output.filter((m) => m.type === 'STATE')).toHaveLength(1);
  });

  it('gives up after the retry policy with a transient_error and echoes no state', async () => {
    proxy = await startFaultProxy(emulatorUrl());
    proxy.inject({ fault: { kind: 'status', status: 503 }, match: isUpload, times: Infinity });
    const bucket = uniqueBucket('faults-fatal');
    const run = await runWrite(destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: proxy.url }), catalogOf([{ name: 'orders' }]), input);
    expect(run.error).toBeInstanceOf(ConnectorError);
    expect((run.error as ConnectorError).failureType).toBe('transient_error');
    expect((run.error as Error).message).toMatch(/upload of gs:\/\/.+ failed after 4 attempts: .*503/);
    expect(run.output.filter((m) => m.type === 'STATE')).toEqual([]);
    expect(proxy.log.filter((r) => r.fault === 'status').length).toBe(4);
    expect(await listNames(emulatorStorage(emulatorUrl()), bucket)).toEqual([]);
  });
});
