import { describe, expect, it } from 'vitest';
import { expectValidMessages } from '../support/protocol.js';
import { messagesOfType, runCli, writeJsonFiles } from '../support/run-cli.js';

const SECRET = 'shpat_canary_3f9a1c7e';
const catalog = { streams: [] };

const invalidConfigs: Array<[string, unknown, RegExp]> = [
  ['missing shop', { credentials: { auth_method: 'api_password', api_password: SECRET } }, /config\.shop is required/],
  ['wrong type', { shop: 7, credentials: { auth_method: 'api_password', api_password: SECRET } }, /config\.shop must be string/],
  ['unknown auth method', { shop: 'x', credentials: { auth_method: 'magic', api_password: SECRET } }, /config\.credentials\.auth_method must be one of/],
  ['bad shop handle', { shop: 'not a shop!', credentials: { auth_method: 'api_password', api_password: SECRET } }, /config\.shop must be a shop handle/],
  ['plain http to a remote host', { shop: 'x', api_base_url: 'http://example.com', credentials: { auth_method: 'api_password', api_password: SECRET } }, /config\.api_base_url may use plain http only for loopback/],
];

describe('invalid source config', () => {
  it.concurrent.each(invalidConfigs)('%s: check reports FAILED naming the field, without the secret', async (_name, config, expected) => {
    const files = writeJsonFiles({ config });
    const result = await runCli('source-shopify', ['check', '--config', files.config]);
    expectValidMessages(result.messages);
    expect(result.exitCode).toBe(0);
    const [status] = messagesOfType(result.messages, 'CONNECTION_STATUS');
    expect(status?.connectionStatus.status).toBe('FAILED');
    expect(status?.connectionStatus.message).toMatch(expected);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it.concurrent.each(invalidConfigs)('%s: read emits one config_error TRACE and exits non-zero, without the secret', async (_name, config, expected) => {
    const files = writeJsonFiles({ config, catalog });
    const result = await runCli('source-shopify', ['read', '--config', files.config, '--catalog', files.catalog]);
    expectValidMessages(result.messages);
    expect(result.exitCode).toBe(1);
    const traces = messagesOfType(result.messages, 'TRACE');
    expect(traces).toHaveLength(1);
    expect(traces[0]?.trace.error?.failure_type).toBe('config_error');
    expect(traces[0]?.trace.error?.message).toMatch(expected);
    expect(traces[0]?.trace.error?.stack_trace).toBeUndefined();
    expect(result.stdout + result.stderr).not.toContain(SECRET);
  });

  it('names a config file that is not JSON', async () => {
    const files = writeJsonFiles({ config: '{"shop": "x",' });
    const result = await runCli('source-shopify', ['check', '--config', files.config]);
    expectValidMessages(result.messages);
    const [status] = messagesOfType(result.messages, 'CONNECTION_STATUS');
    expect(status?.connectionStatus.message).toMatch(/The config file .*config\.json is not valid JSON/);
  });
});

describe('invalid destination config', () => {
  const base = { gcs_bucket_name: 'b', gcs_bucket_path: 'p', credential: { credential_type: 'APPLICATION_DEFAULT' } };
  it.concurrent.each([
    ['JSONL', 0],
    ['JSONL', 10],
    ['CSV', 2.5],
    ['CSV', 'fast'],
  ])('%s gzip compression_level %s: check reports FAILED naming the field', async (formatType, level) => {
    const files = writeJsonFiles({ config: { ...base, format: { format_type: formatType, compression: { compression_type: 'GZIP', compression_level: level } } } });
    const result = await runCli('destination-gcs', ['check', '--config', files.config]);
    expectValidMessages(result.messages);
    const [status] = messagesOfType(result.messages, 'CONNECTION_STATUS');
    expect(status?.connectionStatus.status).toBe('FAILED');
    expect(status?.connectionStatus.message).toMatch(/config\.format\.compression\.compression_level must be/);
  });

  it('check reports FAILED naming the field, without the key', async () => {
    const key = JSON.stringify({ client_email: 'w@p.iam.gserviceaccount.com', private_key: `-----BEGIN PRIVATE KEY-----\nMIIEcanaryKEYbody0123456789abcdef\n-----END PRIVATE KEY-----\n` });
    const config = { gcs_bucket_path: 'p', credential: { credential_type: 'SERVICE_ACCOUNT_KEY', service_account_json: key }, format: { format_type: 'JSONL' } };
    const files = writeJsonFiles({ config });
    const result = await runCli('destination-gcs', ['check', '--config', files.config]);
    expectValidMessages(result.messages);
    const [status] = messagesOfType(result.messages, 'CONNECTION_STATUS');
    expect(status?.connectionStatus.status).toBe('FAILED');
    expect(status?.connectionStatus.message).toMatch(/config\.gcs_bucket_name is required/);
    expect(result.stdout + result.stderr).not.toContain('MIIEcanaryKEYbody0123456789abcdef');
  });
});
