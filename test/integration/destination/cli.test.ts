import { afterEach, describe, expect, it } from 'vitest';
import { CANARY_SERVICE_ACCOUNT } from '../../support/canaries.js';
import { expectValidMessages } from '../../support/protocol.js';
import { messagesOfType, runCli, writeJsonFiles } from '../../support/run-cli.js';
import { startFaultProxy, uniqueBucket, type FaultProxy } from '../../support/gcs-emulator.js';
import { catalogOf, emulatorStorage, emulatorUrl, listNames, readJsonl } from './harness.js';

const rawConfig = (bucket: string, endpoint: string): Record<string, unknown> => ({
  gcs_bucket_name: bucket,
  gcs_bucket_path: 'cli',
  credential: CANARY_SERVICE_ACCOUNT, // carried, never used on a loopback endpoint; must never be printed
  format: { format_type: 'JSONL' },
  gcs_endpoint: endpoint,
});
const lines = (...messages: unknown[]): string => messages.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join('\n') + '\n';
const rec = (stream: string, id: number) => ({ type: 'RECORD', record: { stream, data: { id }, emitted_at: 1 } });
const state = (stream: string, c: number) => ({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: { c } } } });

describe('destination-gcs CLI', () => {
  let proxy: FaultProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it('spec: a valid SPEC with the Airbyte names', async () => {
    const result = await runCli('destination-gcs', ['spec']);
    expect(result.exitCode).toBe(0);
    expectValidMessages(result.messages);
    const [spec] = messagesOfType(result.messages, 'SPEC');
    expect(Object.keys(spec!.spec.connectionSpecification.properties as object)).toEqual(
      expect.arrayContaining(['gcs_bucket_name', 'gcs_bucket_path', 'gcs_path_format', 'file_name_pattern', 'credential', 'format', 'gcs_endpoint']),
    );
  });

  it('check succeeds on the emulator and leaves no probe behind', async () => {
    const bucket = uniqueBucket('check');
    const files = writeJsonFiles({ config: rawConfig(bucket, emulatorUrl()) });
    const result = await runCli('destination-gcs', ['check', '--config', files.config]);
    expectValidMessages(result.messages);
    expect(result.exitCode).toBe(0);
    expect(messagesOfType(result.messages, 'CONNECTION_STATUS')[0]?.connectionStatus).toEqual({ status: 'SUCCEEDED' });
    expect(await listNames(emulatorStorage(emulatorUrl()), bucket)).toEqual([]);
  });

  it('check fails clearly when the endpoint refuses connections', async () => {
    proxy = await startFaultProxy(emulatorUrl());
    const refused = proxy.url;
    await proxy.close(); // nothing listens on this port any more
    proxy = undefined;
    const files = writeJsonFiles({ config: rawConfig(uniqueBucket('refused'), refused) });
    const result = await runCli('destination-gcs', ['check', '--config', files.config]);
    expectValidMessages(result.messages);
    expect(result.exitCode).toBe(0);
    const status = messagesOfType(result.messages, 'CONNECTION_STATUS')[0]?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/Could not write the probe object gs:\/\/.+: the storage endpoint could not be reached \(ECONNREFUSED\): check gcs_endpoint/);
  });

  it.each([
    ['POST', 'write', 'storage.objects.create'],
    ['GET', 'list', 'storage.objects.list'],
    ['DELETE', 'delete', 'storage.objects.delete'],
  ])('check names the missing permission when %s is forbidden', async (method, step, permission) => {
    proxy = await startFaultProxy(emulatorUrl());
    proxy.inject({ fault: { kind: 'status', status: 403 }, match: (r) => r.method === method, times: Infinity });
    const files = writeJsonFiles({ config: rawConfig(uniqueBucket('forbidden'), proxy.url) });
    const result = await runCli('destination-gcs', ['check', '--config', files.config]);
    const status = messagesOfType(result.messages, 'CONNECTION_STATUS')[0]?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toContain(`Could not ${step} the probe object`);
    expect(status?.message).toContain(`grant the service account ${permission}`);
  });

  it('write: a bad stdin line stops the sync with its line number and no state past the last commit', async () => {
    const bucket = uniqueBucket('badline');
    const files = writeJsonFiles({ config: rawConfig(bucket, emulatorUrl()), catalog: catalogOf([{ name: 'orders' }]) });
    const stdin = lines(rec('orders', 1), state('orders', 1), rec('orders', 2), '{"type": "RECORD", "record": {', rec('orders', 3), state('orders', 2));
    const result = await runCli('destination-gcs', ['write', '--config', files.config, '--catalog', files.catalog], { stdin });
    expectValidMessages(result.messages);
    expect(result.exitCode).not.toBe(0);
    expect(messagesOfType(result.messages, 'STATE')).toEqual([]);
    const [trace] = messagesOfType(result.messages, 'TRACE');
    expect(trace?.trace.error?.failure_type).toBe('config_error');
    expect(trace?.trace.error?.message).toMatch(/line 4/);
  });

  it('write: a RECORD for a stream outside the catalog is a config_error', async () => {
    const files = writeJsonFiles({ config: rawConfig(uniqueBucket('unknown'), emulatorUrl()), catalog: catalogOf([{ name: 'orders' }]) });
    const result = await runCli('destination-gcs', ['write', '--config', files.config, '--catalog', files.catalog], { stdin: lines(rec('orders', 1), rec('refunds', 2)) });
    expect(result.exitCode).not.toBe(0);
    const [trace] = messagesOfType(result.messages, 'TRACE');
    expect(trace?.trace.error?.failure_type).toBe('config_error');
    expect(trace?.trace.error?.message).toMatch(/line 2: RECORD for stream "refunds", which is not in the configured catalog/);
  });

  it('write: records in, states echoed after commit, exit 0', async () => {
    const bucket = uniqueBucket('cli-write');
    const files = writeJsonFiles({ config: rawConfig(bucket, emulatorUrl()), catalog: catalogOf([{ name: 'orders' }, { name: 'customers' }]) });
    const stdin = lines(rec('orders', 1), rec('customers', 2), state('orders', 1), rec('orders', 3), state('customers', 1), state('orders', 2));
    const result = await runCli('destination-gcs', ['write', '--config', files.config, '--catalog', files.catalog], { stdin });
    expectValidMessages(result.messages);
    expect(result.exitCode).toBe(0);
    expect(messagesOfType(result.messages, 'STATE').map((m) => [m.state.stream?.stream_descriptor.name, m.state.stream?.stream_state])).toEqual([
      ['orders', { c: 1 }], ['orders', { c: 2 }], ['customers', { c: 1 }],
    ]);
    const rows = await readJsonl(emulatorStorage(emulatorUrl()), bucket, 'cli/orders/');
    expect(rows.map((r) => (r._airbyte_data as { id: number }).id)).toEqual([1, 3]);
  });
});
