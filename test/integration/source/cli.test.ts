/**
 * The source through its real CLI (the built bin) against the simulator over HTTP: check, discover,
 * and reads whose results are compared with what the simulator's store says they must be.
 * Run `npm run build` first.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { startSimulator, type Simulator } from '../../../src/simulator/index.js';
import { ALL_SCOPES } from '../../../src/simulator/auth.js';
import { expectValidMessages } from '../../support/protocol.js';
import { runCli, writeJsonFiles, type CliResult } from '../../support/run-cli.js';
import { catalogFor, finalState, ids, logs, readInProcess, records, simConfig, states } from './harness.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ orders: 80, seed: 3, fast: true });
});
afterAll(async () => sim?.close());
beforeEach(() => {
  sim.reset();
  sim.setScopes(ALL_SCOPES);
});

async function cli(command: 'check' | 'discover' | 'read', config: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<CliResult> {
  const files = writeJsonFiles({ config, ...extra });
  const args = [command, '--config', files.config];
  if ('catalog' in files) args.push('--catalog', String(files.catalog));
  if ('state' in files) args.push('--state', String(files.state));
  const result = await runCli('source-shopify', args, { timeoutMs: 50_000 });
  expectValidMessages(result.messages);
  return result;
}

function status(result: CliResult): { status: string; message?: string } | undefined {
  const m = result.messages.find((x) => x.type === 'CONNECTION_STATUS');
  return m?.type === 'CONNECTION_STATUS' ? m.connectionStatus : undefined;
}

describe('source-shopify check', () => {
  it('succeeds with a valid token and with client credentials', async () => {
    expect(status(await cli('check', simConfig(sim)))).toEqual({ status: 'SUCCEEDED' });
    const cc = simConfig(sim, { credentials: { auth_method: 'client_credentials', client_id: 'simulator-client-id', client_secret: 'simulator-client-secret' } });
    expect(status(await cli('check', cc))).toEqual({ status: 'SUCCEEDED' });
    expect(sim.requests().some((r) => r.kind === 'oauth' && r.status === 200)).toBe(true);
  });

  it('fails with a message that says what to fix, without leaking the secret', async () => {
    const bad = await cli('check', simConfig(sim, { credentials: { auth_method: 'api_password', api_password: 'shpat_wrong_token_123' } }));
    expect(bad.exitCode).toBe(0);
    expect(status(bad)?.status).toBe('FAILED');
    expect(status(bad)?.message).toMatch(/check the access token/);
    expect(bad.stdout + bad.stderr).not.toContain('shpat_wrong_token_123');

    const badClient = await cli('check', simConfig(sim, { credentials: { auth_method: 'client_credentials', client_id: 'simulator-client-id', client_secret: 'nope-nope' } }));
    expect(status(badClient)?.message).toMatch(/client_id and client_secret/);

    const unknownShop = await cli('check', simConfig(sim, { api_base_url: `${sim.url}/no-such-shop` }));
    expect(status(unknownShop)?.message).toMatch(/HTTP 404.*check config.shop/);

    sim.setScopes([]);
    expect(status(await cli('check', simConfig(sim)))?.message).toMatch(/no access scopes/);
  });

  it('fails when Shopify serves another API version than the one configured', async () => {
    const old = await startSimulator({ orders: 5, fast: true, supportedVersions: ['2026-04', '2026-07'] });
    try {
      const result = await cli('check', simConfig(old, { api_version: '2025-01' }));
      expect(status(result)?.status).toBe('FAILED');
      expect(status(result)?.message).toMatch(/no longer supports API version 2025-01 \(it answered with 2026-04/);
    } finally {
      await old.close();
    }
  });
});

describe('source-shopify discover', () => {
  it('lists every stream with schema, keys and sync modes, leaving out those the token may not read', async () => {
    const all = await cli('discover', simConfig(sim));
    const catalog = all.messages.find((m) => m.type === 'CATALOG');
    if (catalog?.type !== 'CATALOG') throw new Error('no catalog');
    const orders = catalog.catalog.streams.find((s) => s.name === 'orders');
    expect(orders).toMatchObject({ supported_sync_modes: ['full_refresh', 'incremental'], source_defined_cursor: true, default_cursor_field: ['updated_at'], source_defined_primary_key: [['id']], is_resumable: true });
    expect(catalog.catalog.streams.find((s) => s.name === 'shop')).toMatchObject({ supported_sync_modes: ['full_refresh'] });

    sim.setScopes(ALL_SCOPES.filter((s) => s !== 'read_customers'));
    const limited = await cli('discover', simConfig(sim));
    const names = limited.messages.flatMap((m) => (m.type === 'CATALOG' ? m.catalog.streams.map((s) => s.name) : []));
    expect(names).not.toContain('customers');
    expect(names).toContain('orders');
    expect(logs(limited.messages).some((l) => /^WARN Stream customers .*read_customers/.test(l))).toBe(true);
  });
});

describe('source-shopify read', () => {
  it('reads incrementally: after changes, a read from the final state returns exactly the changed records', async () => {
    const names = ['orders', 'products', 'customers'];
    const config = simConfig(sim, { bulk_window_in_days: 400 });
    const first = await cli('read', config, { catalog: catalogFor(names) });
    expect(first.exitCode).toBe(0);
    for (const name of names) {
      expect(ids(first.messages, name)).toEqual(sim.store.list(name as 'orders').map((e) => e.gid).sort());
      expect(states(first.messages, name).length).toBeGreaterThan(0);
    }
    const state = finalState(first.messages);
    const end = Date.parse(String((states(first.messages, 'orders').at(-1)?.stream?.stream_state as { updated_at: string }).updated_at));

    // Changes stamped just after the first read's end (the simulator clock is real time here). Moving
    // the clock back would make the first read's jobs run again, so they are cleared first.
    sim.reset();
    sim.clock.set(end + 1000);
    const changed = {
      orders: [...sim.store.update('orders', { count: 3 }), ...sim.store.insert('orders', 2)].sort(),
      products: sim.store.update('products', { count: 2 }).sort(),
      customers: [] as string[],
    };
    // The next read ends 60 s before the earlier of our clock and Shopify's (the simulator's Date
    // header): both must be past the changes.
    sim.clock.advance(62_000);
    while (Date.now() - 60_000 <= end + 2000) await sleep(100);
    const second = await cli('read', config, { catalog: catalogFor(names), state });
    expect(second.exitCode).toBe(0);
    for (const name of names) expect(ids(second.messages, name)).toEqual(changed[name as keyof typeof changed]);
    for (const name of names) expect(states(second.messages, name).at(-1)?.sourceStats?.recordCount).toBeGreaterThanOrEqual(0);
  });

  it('returns the same records from two full refresh reads', async () => {
    const catalog = catalogFor(['shop', 'locations', 'orders'], 'full_refresh');
    const a = await cli('read', simConfig(sim), { catalog });
    const b = await cli('read', simConfig(sim), { catalog });
    expect(a.exitCode).toBe(0);
    const sort = (rs: Array<Record<string, unknown>>) => rs.map((r) => JSON.stringify(r)).sort();
    expect(sort(records(b.messages))).toEqual(sort(records(a.messages)));
    expect(records(a.messages, 'shop')).toHaveLength(1);
    expect(records(a.messages, 'orders')).toHaveLength(80);
    for (const name of ['shop', 'locations', 'orders']) expect(states(a.messages, name).at(-1)?.stream?.stream_state).toEqual({});
  });

  it('ends with a TRACE error naming an unknown stream', async () => {
    const catalog = catalogFor(['orders']);
    catalog.streams[0]!.stream.name = 'no_such_stream';
    const result = await cli('read', simConfig(sim), { catalog });
    expect(result.exitCode).not.toBe(0);
    const trace = result.messages.find((m) => m.type === 'TRACE' && m.trace.type === 'ERROR');
    expect(trace).toMatchObject({ trace: { error: { failure_type: 'config_error' } } });
    expect(JSON.stringify(trace)).toMatch(/no_such_stream/);
  });
});

describe('source-shopify read through parse workers', () => {
  // Enough lines for the workers (5,000 and more), so records go out as serialised blocks whose
  // buffers are handed back to the workers once written: a buffer reused too early would show here
  // as records that differ from the main thread's.
  let big: Simulator;
  beforeAll(async () => {
    big = await startSimulator({ orders: 1600, seed: 5, fast: true });
  });
  afterAll(async () => big?.close());

  it('writes exactly the main thread’s records', async () => {
    const config = simConfig(big, { bulk_window_in_days: 3650 });
    const catalog = catalogFor(['orders']);
    const result = await cli('read', config, { catalog });
    expect(result.exitCode).toBe(0);
    expect(logs(result.messages).join('\n')).toMatch(/parsing \d+ lines in \d worker thread/);
    const single = await readInProcess(config, catalog, undefined, { deps: { parallel: { workers: 0 } } });
    expect(single.error).toBeUndefined();
    expect(records(result.messages, 'orders').length).toBeGreaterThan(1000);
    expect(records(result.messages, 'orders')).toEqual(records(single.messages, 'orders'));
  });
});
