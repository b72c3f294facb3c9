/**
 * Bad input to the source, through its real CLI against the simulator: malformed config, catalog and
 * state. Every rejected input ends in exactly one TRACE error with failure_type config_error whose
 * one-line message names the field (or file, or stream), a non-zero exit, no stack trace on stdout,
 * and no RECORD or STATE before it (nothing is marked as read). Inputs a user can reasonably have
 * (extra config fields, a source-defined cursor left out of the catalog, Airbyte's legacy state
 * dictionary) are accepted with a WARN instead. The cases are data; one test body runs them all.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfiguredAirbyteCatalog } from '../../src/protocol/messages.js';
import { startSimulator, type Simulator } from '../../src/simulator/index.js';
import { CANARY_TOKEN } from '../support/canaries.js';
import { expectValidMessages } from '../support/protocol.js';
import { messagesOfType, runCli, writeJsonFiles, type CliResult } from '../support/run-cli.js';
import { catalogFor } from '../integration/source/harness.js';

type Json = unknown;
/** A file's content: a JSON value, or raw text (written as is) when `{ raw }`. */
type FileContent = Json | { raw: string };

interface Env {
  config: Record<string, unknown>;
  catalog: ConfiguredAirbyteCatalog;
}

interface SourceCase {
  name: string;
  config?: (env: Env) => FileContent;
  catalog?: (env: Env) => FileContent;
  state?: FileContent;
  /** Rejected: the TRACE error message must match. */
  error?: RegExp;
  /** Accepted: the read succeeds and logs a WARN matching this. */
  warn?: RegExp;
  /** Accepted: extra checks on the successful read. */
  then?: (result: CliResult) => void;
}

const FUTURE = '2999-01-01T00:00:00+00:00';
const cfg = (over: Record<string, unknown>, drop: string[] = []) => (env: Env) => {
  const c: Record<string, unknown> = { ...env.config, ...over };
  for (const k of drop) delete c[k];
  return c;
};
const creds = (credentials: unknown) => cfg({ credentials });
const streamState = (name: string, stream_state: unknown) => ({ type: 'STREAM', stream: { stream_descriptor: { name }, stream_state } });
const withStream = (change: (s: Record<string, unknown>) => Record<string, unknown>) => (env: Env) => ({
  streams: env.catalog.streams.map((s) => change({ ...s })),
});

const CASES: SourceCase[] = [
  // --- config -------------------------------------------------------------------------------------
  { name: 'config: shop missing', config: cfg({}, ['shop']), error: /^Invalid config: config\.shop is required$/ },
  { name: 'config: shop of the wrong type', config: cfg({ shop: 42 }), error: /config\.shop must be string/ },
  { name: 'config: shop not a shop handle', config: cfg({ shop: 'my store!' }), error: /config\.shop must be a shop handle like "my-store"/ },
  { name: 'config: credentials missing', config: cfg({}, ['credentials']), error: /config\.credentials is required/ },
  { name: 'config: credentials not an object', config: creds(CANARY_TOKEN), error: /config\.credentials must be object/ },
  { name: 'config: credentials an empty object', config: creds({}), error: /config\.credentials/ },
  { name: 'config: api_password missing', config: creds({ auth_method: 'api_password', access_token: CANARY_TOKEN }), error: /config\.credentials\.api_password is required/ },
  { name: 'config: oauth2.0 without access_token', config: creds({ auth_method: 'oauth2.0', client_id: 'id', client_secret: CANARY_TOKEN }), error: /config\.credentials\.access_token is required when auth_method is "oauth2\.0"/ },
  { name: 'config: client_credentials without client_secret', config: creds({ auth_method: 'client_credentials', client_id: 'id' }), error: /config\.credentials\.client_secret is required/ },
  { name: 'config: unknown auth_method', config: creds({ auth_method: 'basic', api_password: CANARY_TOKEN }), error: /config\.credentials\.auth_method must be one of/ },
  { name: 'config: start_date not a calendar date', config: cfg({ start_date: '2024-13-45' }), error: /config\.start_date must match format "date"/ },
  { name: 'config: start_date in words', config: cfg({ start_date: 'last monday' }), error: /config\.start_date must match/ },
  { name: 'config: start_date in the future', config: cfg({ start_date: '2999-01-01' }), error: /config\.start_date 2999-01-01 is in the future/ },
  { name: 'config: bulk_window_in_days as a string', config: cfg({ bulk_window_in_days: '30' }), error: /config\.bulk_window_in_days must be integer/ },
  { name: 'config: bulk_window_in_days zero', config: cfg({ bulk_window_in_days: 0 }), error: /config\.bulk_window_in_days must be >= 1/ },
  { name: 'config: lookback_window_in_days negative', config: cfg({ lookback_window_in_days: -1 }), error: /config\.lookback_window_in_days must be >= 0/ },
  { name: 'config: job_termination_threshold fractional', config: cfg({ job_termination_threshold: 1.5 }), error: /config\.job_termination_threshold must be integer/ },
  { name: 'config: max_concurrent_bulk_operations above 5', config: cfg({ max_concurrent_bulk_operations: 9 }), error: /config\.max_concurrent_bulk_operations must be <= 5/ },
  { name: 'config: concurrency the API version does not allow', config: cfg({ api_version: '2025-01', max_concurrent_bulk_operations: 3 }), error: /config\.max_concurrent_bulk_operations is 3, but API 2025-01 allows 1/ },
  { name: 'config: unsupported api_version', config: cfg({ api_version: '2023-10' }), error: /config\.api_version must be one of "2026-07", "2026-04", "2025-01"/ },
  { name: 'config: api_base_url plain http to a remote host', config: cfg({ api_base_url: 'http://shop.example.com' }), error: /config\.api_base_url may use plain http only for loopback hosts/ },
  { name: 'config: api_base_url not a URL', config: cfg({ api_base_url: 'not a url' }), error: /config\.api_base_url must match format "uri"/ },
  { name: 'config: api_base_url not http(s)', config: cfg({ api_base_url: 'ftp://127.0.0.1/' }), error: /config\.api_base_url must be an http\(s\) URL/ },
  { name: 'config: not JSON (with the token inside)', config: () => ({ raw: `{"shop": "my-store", "credentials": {"auth_method": "api_password", "api_password": ${CANARY_TOKEN}}}` }), error: /^The config file \S+ is not valid JSON: Unexpected token/ },
  { name: 'config: a JSON array', config: () => [{ shop: 'x' }], error: /^Invalid config: config must be object$/ },
  { name: 'config: rejected token', config: creds({ auth_method: 'api_password', api_password: CANARY_TOKEN }), error: /Shopify rejected the access token \(HTTP 401\).*check the access token in config\.credentials/ },
  {
    name: 'config: unknown field (accepted, named in a WARN)',
    config: cfg({ start_dat: '2024-01-01' }),
    warn: /config\.start_dat is not a field of this connector's config; it is ignored/,
  },

  // --- catalog ------------------------------------------------------------------------------------
  { name: 'catalog: unknown stream', catalog: withStream((s) => ({ ...s, stream: { ...(s.stream as object), name: 'refunds_xyz' } })), error: /catalog asks for stream "refunds_xyz", which this source does not have/ },
  {
    name: 'catalog: incremental on a full-refresh-only stream',
    catalog: () => ({ streams: [{ ...catalogFor(['locations'], 'full_refresh').streams[0], sync_mode: 'incremental' }] }),
    error: /Stream locations does not support incremental sync: configure it as full_refresh/,
  },
  { name: 'catalog: unsupported sync_mode value', catalog: withStream((s) => ({ ...s, sync_mode: 'cdc' })), error: /catalog\.streams\[0\]\.sync_mode must be one of "full_refresh", "incremental"/ },
  { name: 'catalog: sync_mode missing', catalog: withStream(({ sync_mode: _, ...s }) => s), error: /catalog\.streams\[0\]\.sync_mode is required/ },
  { name: 'catalog: a cursor the source does not define', catalog: withStream((s) => ({ ...s, cursor_field: ['created_at'] })), error: /catalog\.streams\[0\]\.cursor_field is \["created_at"\], but stream orders has the source-defined cursor "updated_at"/ },
  {
    name: 'catalog: cursor_field left out (the source-defined cursor is used)',
    catalog: withStream(({ cursor_field: _, ...s }) => s),
    then: (r) => expect(messagesOfType(r.messages, 'STATE').at(-1)?.state.stream?.stream_state).toHaveProperty('updated_at'),
  },
  { name: 'catalog: not JSON', catalog: () => ({ raw: '{"streams": [' }), error: /^The catalog file \S+ is not valid JSON/ },
  { name: 'catalog: wrong shape', catalog: () => ({ streams: { orders: 'incremental' } }), error: /^Invalid catalog: catalog\.streams must be array$/ },
  { name: 'catalog: no streams', catalog: () => ({ streams: [] }), error: /^The catalog selects no streams: catalog\.streams is empty$/ },
  { name: 'catalog: the same stream twice', catalog: (env) => ({ streams: [...env.catalog.streams, ...env.catalog.streams] }), error: /catalog\.streams\[1\]: stream "orders" appears twice/ },

  // --- state --------------------------------------------------------------------------------------
  { name: 'state: not JSON', state: { raw: '\u0000\u0001garbage' }, error: /^The state file \S+ is not valid JSON/ },
  { name: 'state: a JSON string', state: 'orders', error: /^The state file must be a list of STATE messages or an object keyed by stream name$/ },
  { name: 'state: a list of numbers', state: [1, 2], error: /^state\[0\] is not a STATE message \(expected an object with type "STREAM"\)$/ },
  { name: 'state: unknown state type', state: [{ type: 'PER_STREAM', stream: {} }], error: /^state\[0\]\.type is "PER_STREAM"; expected "STREAM"/ },
  { name: 'state: STREAM without a stream name', state: [{ type: 'STREAM', stream: { stream_descriptor: {}, stream_state: {} } }], error: /^state\[0\]\.stream\.stream_descriptor\.name is missing$/ },
  { name: 'state: stream_state not an object', state: [streamState('orders', '2024-01-01')], error: /^state\[0\]\.stream\.stream_state of stream orders must be an object/ },
  { name: 'state: GLOBAL state', state: [{ type: 'GLOBAL', global: { stream_states: [] } }], error: /state\[0\] is a GLOBAL state; this source keeps per-stream STREAM state/ },
  { name: 'state: cursor that is not a date', state: [streamState('orders', { updated_at: 'yesterday' })], error: /The state of stream orders has updated_at = "yesterday", which is not an RFC 3339 timestamp/ },
  { name: 'state: cursor of the wrong type', state: [streamState('orders', { updated_at: 1714521600 })], error: /The state of stream orders has updated_at = 1714521600, which is not an RFC 3339 timestamp/ },
  {
    // The acceptance tests' abnormally-large-state check: 0 records and a STATE, not an error.
    name: 'state: cursor in the future (accepted: 0 records, a STATE, a WARN)',
    state: [streamState('orders', { updated_at: FUTURE })],
    warn: /The state of stream orders has updated_at = "2999-01-01T00:00:00\+00:00", which is in the future/,
    then: (r) => {
      expect(messagesOfType(r.messages, 'RECORD')).toHaveLength(0);
      expect(messagesOfType(r.messages, 'STATE').length).toBeGreaterThanOrEqual(1);
    },
  },
  { name: 'state: legacy dictionary with a non-object value', state: { orders: '2024-01-01' }, error: /^state\.orders must be an object like \{"updated_at": "…"\}/ },
  {
    name: 'state: legacy per-stream dictionary (accepted, migrated, with a WARN)',
    state: { orders: { updated_at: '2024-06-01T00:00:00+00:00' } },
    warn: /legacy per-stream dictionary form \(orders\); it is migrated/,
    then: (r) => {
      const last = messagesOfType(r.messages, 'STATE').at(-1)?.state;
      expect(last?.type).toBe('STREAM');
      expect(Date.parse(String((last?.stream?.stream_state as { updated_at?: string }).updated_at))).toBeGreaterThanOrEqual(Date.parse('2024-06-01T00:00:00Z'));
      for (const m of messagesOfType(r.messages, 'RECORD')) expect(Date.parse(String(m.record.data.updated_at))).toBeGreaterThanOrEqual(Date.parse('2024-06-01T00:00:00Z'));
    },
  },
];

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ orders: 12, seed: 11, fast: true });
});
afterAll(async () => sim?.close());

function env(): Env {
  return {
    config: {
      shop: sim.shop,
      credentials: { auth_method: 'api_password', api_password: sim.accessToken },
      api_base_url: sim.url,
      start_date: '2021-01-01',
      bulk_window_in_days: 3650,
    },
    catalog: catalogFor(['orders']),
  };
}

const fileContent = (c: FileContent): string => (c !== null && typeof c === 'object' && 'raw' in c ? (c as { raw: string }).raw : JSON.stringify(c));

/** No stack frame, no multi-line message: what a user sees stays one line. */
function expectNoStackTrace(result: CliResult): void {
  expect(result.stdout).not.toMatch(/\n\s+at .+:\d+:\d+\)?/);
  for (const m of messagesOfType(result.messages, 'TRACE')) expect(m.trace.error?.stack_trace).toBeUndefined();
}

describe('source-shopify read rejects bad input clearly and accepts what a user can fix nothing about', () => {
  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.concurrent.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const e = env();
    const files = writeJsonFiles({
      config: fileContent(c.config ? c.config(e) : e.config),
      catalog: fileContent(c.catalog ? c.catalog(e) : e.catalog),
      ...(c.state !== undefined ? { state: fileContent(c.state) } : {}),
    });
    const args = ['read', '--config', files.config!, '--catalog', files.catalog!, ...(files.state ? ['--state', files.state] : [])];
    const result = await runCli('source-shopify', args, { timeoutMs: 50_000 });
    expectValidMessages(result.messages);
    expectNoStackTrace(result);
    expect(result.stdout + result.stderr).not.toContain('shpat_canary'); // not even a piece of the token
    const errors = messagesOfType(result.messages, 'TRACE').filter((m) => m.trace.type === 'ERROR');
    if (c.error) {
      expect(result.exitCode, result.stderr).not.toBe(0);
      expect(errors).toHaveLength(1);
      const error = errors[0]!.trace.error!;
      expect(error.failure_type).toBe('config_error');
      expect(error.message).toMatch(c.error);
      expect(error.message).not.toContain('\n');
      // Nothing was read, so nothing may be marked as read.
      expect(messagesOfType(result.messages, 'RECORD')).toEqual([]);
      expect(messagesOfType(result.messages, 'STATE')).toEqual([]);
    } else {
      expect(errors.map((m) => m.trace.error?.message)).toEqual([]);
      expect(result.exitCode, result.stderr).toBe(0);
      const warnings = messagesOfType(result.messages, 'LOG').filter((m) => m.log.level === 'WARN').map((m) => m.log.message);
      if (c.warn) expect(warnings.some((w) => c.warn!.test(w)), warnings.join('\n')).toBe(true);
      c.then?.(result);
    }
  });
});
