import { describe, expect, it } from 'vitest';
import { createShopifyClient } from '../../../../src/source/shopify/client.js';
import { createCostThrottle } from '../../../../src/source/shopify/throttle.js';
import { ConfigError } from '../../../../src/runtime/errors.js';
import { silentLogger, type Logger } from '../../../../src/runtime/logger.js';
import type { Credentials } from '../../../../src/source/config.js';

type Reply = { status?: number; body?: unknown; headers?: Record<string, string> };

function fakeFetch(replies: Array<Reply | ((req: { url: string; init: RequestInit }) => Reply)>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const f = (async (url: string | URL, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    const next = replies.shift();
    if (!next) throw new Error('no more replies');
    const r = typeof next === 'function' ? next({ url: String(url), init }) : next;
    return new Response(JSON.stringify(r.body ?? {}), { status: r.status ?? 200, headers: { 'content-type': 'application/json', ...r.headers } });
  }) as typeof fetch;
  return { f, calls };
}

const cost = (available: number) => ({ cost: { requestedQueryCost: 10, actualQueryCost: 5, throttleStatus: { maximumAvailable: 1000, currentlyAvailable: available, restoreRate: 50 } } });
const token: Credentials = { authMethod: 'api_password', accessToken: 'shpat_secret' };
const fast = { baseDelayMs: 1, maxDelayMs: 5 };

function client(f: typeof fetch, credentials: Credentials = token, logger: Logger = silentLogger) {
  return createShopifyClient({ baseUrl: 'https://shop.example', apiVersion: '2026-07', credentials, logger, fetch: f, retryPolicy: fast });
}

describe('Shopify GraphQL client', () => {
  it('sends the token and version, and returns data with cost and request id', async () => {
    const { f, calls } = fakeFetch([{ body: { data: { shop: { name: 'S' } }, extensions: cost(990) }, headers: { 'x-request-id': 'req-1', 'x-shopify-api-version': '2026-07' } }]);
    const res = await client(f).graphql<{ shop: { name: string } }>('{ shop { name } }');
    expect(res.data.shop.name).toBe('S');
    expect(res.requestId).toBe('req-1');
    expect(calls[0]!.url).toBe('https://shop.example/admin/api/2026-07/graphql.json');
    expect((calls[0]!.init.headers as Record<string, string>)['x-shopify-access-token']).toBe('shpat_secret');
  });

  it('retries THROTTLED answers after the bucket refills', async () => {
    const throttled = { errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED' } }], extensions: cost(0) };
    const { f, calls } = fakeFetch([{ body: throttled }, { body: { data: { ok: 1 }, extensions: cost(900) } }]);
    const sleeps: number[] = [];
    let clock = 0;
    const throttle = createCostThrottle({ now: () => clock, sleep: async (ms) => { sleeps.push(ms); clock += ms; } });
    const c = createShopifyClient({
      baseUrl: 'https://shop.example', apiVersion: '2026-07', credentials: token, logger: silentLogger, fetch: f, throttle,
      retryPolicy: { baseDelayMs: 1, maxDelayMs: 50 },
    });
    await expect(c.graphql('{ ok }')).resolves.toMatchObject({ data: { ok: 1 } });
    expect(calls).toHaveLength(2);
    // before the second attempt the client waited for the empty bucket to refill (10 points + 10% reserve at 50/s)
    expect(sleeps.length).toBeGreaterThan(0);
    expect(sleeps[0]).toBeGreaterThan(2000);
  });

  it('retries 5xx and 429 with the shared policy and names x-request-id when it gives up', async () => {
    const { f } = fakeFetch([{ status: 503 }, { status: 429, headers: { 'retry-after': '0' } }, { body: { data: { ok: 1 } } }]);
    await expect(client(f).graphql('{ ok }')).resolves.toMatchObject({ data: { ok: 1 } });
    const failing = fakeFetch(Array.from({ length: 8 }, () => ({ status: 500, headers: { 'x-request-id': 'abc-123' } })));
    await expect(client(failing.f).graphql('{ ok }')).rejects.toThrow(/x-request-id abc-123/);
  });

  it('turns 401 and 404 into configuration errors that say what to fix', async () => {
    await expect(client(fakeFetch([{ status: 401, headers: { 'x-request-id': 'r9' } }]).f).graphql('{ ok }')).rejects.toThrow(/check the access token.*|access token.*r9|r9.*access token/);
    await expect(client(fakeFetch([{ status: 401 }]).f).graphql('{ ok }')).rejects.toBeInstanceOf(ConfigError);
    await expect(client(fakeFetch([{ status: 404 }]).f).graphql('{ ok }')).rejects.toThrow(/check config.shop/);
  });

  it('warns once when Shopify serves another API version', async () => {
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (m) => warnings.push(m) };
    const reply = { body: { data: { ok: 1 } }, headers: { 'x-shopify-api-version': '2026-04' } };
    const c = client(fakeFetch([reply, reply]).f, token, logger);
    await c.graphql('{ ok }');
    await c.graphql('{ ok }');
    expect(c.servedVersion()).toBe('2026-04');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/served API version 2026-04 instead of the requested 2026-07/);
  });

  it('fetches a client-credentials token, reuses it, and fetches a new one after a 401', async () => {
    const tokenReply = (t: string): Reply => ({ body: { access_token: t, scope: 'read_orders', expires_in: 86399 } });
    const { f, calls } = fakeFetch([tokenReply('tok-1'), { body: { data: { ok: 1 } } }, { body: { data: { ok: 2 } } }, { status: 401 }, tokenReply('tok-2'), { body: { data: { ok: 3 } } }]);
    const c = client(f, { authMethod: 'client_credentials', clientId: 'id', clientSecret: 'sec' });
    await c.graphql('{ ok }');
    await c.graphql('{ ok }');
    await expect(c.graphql('{ ok }')).resolves.toMatchObject({ data: { ok: 3 } });
    expect(calls.map((c) => c.url.replace('https://shop.example', ''))).toEqual([
      '/admin/oauth/access_token', '/admin/api/2026-07/graphql.json', '/admin/api/2026-07/graphql.json',
      '/admin/api/2026-07/graphql.json', '/admin/oauth/access_token', '/admin/api/2026-07/graphql.json',
    ]);
    expect(String(calls[0]!.init.body)).toBe('grant_type=client_credentials&client_id=id&client_secret=sec');
    expect((calls[5]!.init.headers as Record<string, string>)['x-shopify-access-token']).toBe('tok-2');
  });

  it('renews a client-credentials token before it expires', async () => {
    let now = 0;
    const { f, calls } = fakeFetch([
      { body: { access_token: 'a', expires_in: 100 } }, { body: { data: {} } },
      { body: { access_token: 'b', expires_in: 100 } }, { body: { data: {} } },
    ]);
    const c = createShopifyClient({ baseUrl: 'https://s', apiVersion: '2026-07', credentials: { authMethod: 'client_credentials', clientId: 'i', clientSecret: 's' }, logger: silentLogger, fetch: f, now: () => now });
    await c.graphql('{ a }');
    now = 95_000; // inside the last tenth of the lifetime
    await c.graphql('{ a }');
    expect(calls.filter((x) => x.url.endsWith('/access_token'))).toHaveLength(2);
  });

  it('rejects bad client credentials as a config error', async () => {
    const c = client(fakeFetch([{ status: 400 }]).f, { authMethod: 'client_credentials', clientId: 'id', clientSecret: 'sec' });
    await expect(c.graphql('{ ok }')).rejects.toThrow(/client_id and client_secret/);
  });
});

describe('cost throttle', () => {
  it('waits before a request would take the bucket below its reserve', async () => {
    let now = 0;
    const waits: number[] = [];
    const t = createCostThrottle({ now: () => now, sleep: async (ms) => { waits.push(ms); now += ms; } });
    await t.acquire(100); // unknown bucket: no wait
    t.update({ throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 150, restoreRate: 50 } }, 100);
    await t.acquire(10); // 150 >= 10 + 100 reserve
    expect(waits).toEqual([]);
    await t.acquire(100); // 140 left, needs 200: wait 60/50 s
    expect(waits).toEqual([1200]);
  });

  it('counts points of requests still in flight against a level the server reports', async () => {
    let now = 0;
    const waits: number[] = [];
    const t = createCostThrottle({ now: () => now, sleep: async (ms) => { waits.push(ms); now += ms; } });
    await t.acquire(10);
    t.update({ throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 } }, 10);
    await t.acquire(400); // in flight
    await t.acquire(400); // in flight
    // An answer to an older request reports a full bucket; the 800 points in flight are not in it yet.
    t.update({ throttleStatus: { maximumAvailable: 1000, currentlyAvailable: 1000, restoreRate: 50 } }, 0);
    await t.acquire(200); // 200 known available, needs 300: wait 100/50 s
    expect(waits).toEqual([2000]);
  });
});
