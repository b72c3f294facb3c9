/**
 * Secrets: the canary scanner finds a canary in every form it could leak as; connector output is
 * captured for the end-of-run scan, from runCli and from connectors other helpers start; and the
 * connectors' riskiest paths (rejected credentials, debug logging, a service-account key the storage
 * client really tries to use) run with canary secrets, which runCli's per-call scan then checks.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import {
  CANARIES,
  CANARY_CLIENT_SECRET,
  CANARY_PRIVATE_KEY,
  CANARY_SERVICE_ACCOUNT,
  CANARY_TOKEN,
  CAPTURE_DIR_ENV,
  SIMULATOR_TOKEN,
  createCanaryScanner,
} from '../support/canaries.js';
import { emulatorUrl } from '../integration/destination/harness.js';
import { catalogFor } from '../integration/source/harness.js';
import { uniqueBucket } from '../support/gcs-emulator.js';
import { expectValidMessages } from '../support/protocol.js';
import { assertNoCanary, binPath, messagesOfType, runCli, writeJsonFiles } from '../support/run-cli.js';

describe('canary scanner', () => {
  const scanner = createCanaryScanner();
  const blob = (prefix: number, secret: string): string => Buffer.concat([Buffer.alloc(prefix, 7), Buffer.from(`{"t":"${secret}"}`), Buffer.alloc(5, 9)]).toString('base64');

  it.each([
    ['raw', `LOG token=${CANARY_TOKEN} end`],
    ['URL-encoded', `GET /x?key=${encodeURIComponent(CANARY_PRIVATE_KEY)}`],
    ['form-encoded', new URLSearchParams({ k: CANARY_PRIVATE_KEY }).toString()],
    ['JSON-escaped', JSON.stringify({ message: `key ${CANARY_PRIVATE_KEY}` })],
    ['JSON-escaped twice', JSON.stringify({ trace: JSON.stringify({ key: CANARY_PRIVATE_KEY }) })],
    ['base64', `Authorization: Basic ${Buffer.from(`user:${SIMULATOR_TOKEN}`).toString('base64')}`],
    ['base64', blob(0, CANARY_CLIENT_SECRET)],
    ['base64', blob(1, CANARY_CLIENT_SECRET)],
    ['base64', blob(2, CANARY_CLIENT_SECRET)],
    ['base64', Buffer.from(`xx${CANARY_SERVICE_ACCOUNT.service_account_json}`).toString('base64url')],
  ])('finds the %s form', (encoding, text) => {
    const findings = scanner.scan(text);
    expect(findings.map((f) => f.encoding)).toContain(encoding);
    expect(() => assertNoCanary(text, 'test')).toThrow(/A canary secret leaked into connector output/);
  });

  it('finds nothing in clean output, including masked secrets and near misses', () => {
    const clean = [
      JSON.stringify({ type: 'LOG', log: { level: 'ERROR', message: 'Shopify rejected the access token **********' } }),
      'shpat_canary_ (a prefix alone is not the token)',
      Buffer.from('simulator-tokem').toString('base64'),
    ].join('\n');
    expect(scanner.scan(clean)).toEqual([]);
  });

  it('scans a capture directory file by file, across chunk boundaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'canary-selftest-'));
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'clean.stdout'), '{"type":"LOG"}\n'.repeat(1000));
    // The canary straddles the scanner's 1 MiB read chunks.
    writeFileSync(join(dir, 'nested', 'split.stderr'), `${'.'.repeat((1 << 20) - 10)}${CANARY_TOKEN}\n`);
    writeFileSync(join(dir, 'encoded.stdout'), `{"message":"${Buffer.from(CANARY_PRIVATE_KEY).toString('base64')}"}\n`);
    const findings = await scanner.scanDirectory(dir);
    expect(findings.map((f) => [f.file.slice(dir.length + 1), f.encoding]).sort()).toEqual([
      ['encoded.stdout', 'base64'],
      ['nested/split.stderr', 'raw'],
    ]);
  });
});

describe('connector output is captured for the end-of-run scan', () => {
  const captureDir = (): string => {
    const dir = process.env[CAPTURE_DIR_ENV];
    if (!dir) throw new Error(`${CAPTURE_DIR_ENV} is not set: the global setup did not start the capture`);
    return dir;
  };

  it('from runCli', async () => {
    const before = new Set(readdirSync(captureDir()));
    const result = await runCli('destination-gcs', ['spec']);
    const added = readdirSync(captureDir()).filter((f) => !before.has(f) && f.startsWith(`destination-gcs-spec-${process.pid}-`));
    expect(added).toHaveLength(1);
    expect(readFileSync(join(captureDir(), added[0]!), 'utf8')).toBe(result.stdout);
  });

  it('from a connector another helper starts (the demo, scenario harnesses)', async () => {
    const child = spawn(process.execPath, [binPath('source-shopify'), 'spec'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    await new Promise((resolve) => child.on('close', resolve));
    const file = join(captureDir(), `source-shopify-${child.pid}-preload.stdout`);
    expect(readFileSync(file, 'utf8')).toBe(stdout);
    expect(stdout).toContain('"type":"SPEC"');
  });
});

describe('canary secrets on the riskiest paths', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ orders: 5, seed: 5, fast: true });
  });
  afterAll(async () => sim?.close());

  const sourceConfig = (credentials: Record<string, unknown>) => ({ shop: sim.shop, credentials, api_base_url: sim.url, start_date: '2021-01-01', bulk_window_in_days: 3650 });
  const debug = { LOG_LEVEL: 'debug' };

  it('every canary is distinct and long enough to be unmistakable', () => {
    expect(new Set(CANARIES).size).toBe(CANARIES.length);
    for (const c of CANARIES) expect(c.length).toBeGreaterThanOrEqual(15);
    expect(sim.accessToken).toBe(SIMULATOR_TOKEN); // what every source test authenticates with
  });

  it.each([
    ['a rejected token', { auth_method: 'api_password', api_password: CANARY_TOKEN }, /check the access token/],
    ['a rejected client secret', { auth_method: 'client_credentials', client_id: 'simulator-client-id', client_secret: CANARY_CLIENT_SECRET }, /client_id and client_secret/],
  ])('source check with %s, debug logging on', async (_name, credentials, expected) => {
    const files = writeJsonFiles({ config: sourceConfig(credentials) });
    const result = await runCli('source-shopify', ['check', '--config', files.config], { env: debug });
    expectValidMessages(result.messages);
    expect(messagesOfType(result.messages, 'CONNECTION_STATUS')[0]?.connectionStatus.message).toMatch(expected);
  });

  it('source read with the valid simulator token and client secret, debug logging on', async () => {
    for (const credentials of [
      { auth_method: 'api_password', api_password: SIMULATOR_TOKEN },
      { auth_method: 'client_credentials', client_id: 'simulator-client-id', client_secret: 'simulator-client-secret' },
    ]) {
      const files = writeJsonFiles({ config: sourceConfig(credentials), catalog: catalogFor(['orders', 'shop']) });
      const result = await runCli('source-shopify', ['read', '--config', files.config, '--catalog', files.catalog], { env: debug, timeoutMs: 50_000 });
      expectValidMessages(result.messages);
      expect(result.exitCode, result.stderr).toBe(0);
      expect(messagesOfType(result.messages, 'RECORD').length).toBeGreaterThan(0);
    }
  });

  it('destination check and write where the storage client really tries to use the canary key', async () => {
    // 0.0.0.0 is not a loopback name for the destination, so it authenticates with the key (and fails).
    const endpoint = emulatorUrl().replace('127.0.0.1', '0.0.0.0').replace('localhost', '0.0.0.0');
    const config = { gcs_bucket_name: uniqueBucket('canary'), gcs_bucket_path: 'c', credential: CANARY_SERVICE_ACCOUNT, format: { format_type: 'JSONL' }, gcs_endpoint: endpoint };
    const files = writeJsonFiles({ config, catalog: { streams: [{ stream: { name: 'orders', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }] } });
    const check = await runCli('destination-gcs', ['check', '--config', files.config], { env: debug });
    expectValidMessages(check.messages);
    expect(messagesOfType(check.messages, 'CONNECTION_STATUS')[0]?.connectionStatus.status).toBe('FAILED');
    const stdin = `${JSON.stringify({ type: 'RECORD', record: { stream: 'orders', data: { id: 1 }, emitted_at: 1 } })}\n`;
    const write = await runCli('destination-gcs', ['write', '--config', files.config, '--catalog', files.catalog], { env: debug, stdin, timeoutMs: 50_000 });
    expectValidMessages(write.messages);
    expect(write.exitCode).not.toBe(0);
  });
});
