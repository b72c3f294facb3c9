/** Reference §3.2: endpoint, auth, client-credentials grant, version fall-forward. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { gql, gqlRaw, start } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ clientId: 'my-client', clientSecret: 'my-secret' });
});
afterAll(async () => {
  await sim.close();
});

async function grant(form: Record<string, string>): Promise<Response> {
  return fetch(`${sim.url}/admin/oauth/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

describe('authentication', () => {
  it('401 with Shopify\'s body for a missing or wrong token', async () => {
    for (const token of ['', 'wrong']) {
      const res = await gqlRaw(sim, '{ shop { name } }', { token });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
    }
  });

  it('client-credentials grant issues a token that works and expires after 86,399 s of simulator time', async () => {
    const res = await grant({ grant_type: 'client_credentials', client_id: 'my-client', client_secret: 'my-secret' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; scope: string; expires_in: number };
    expect(body.expires_in).toBe(86_399);
    expect(body.access_token).toMatch(/^shpat_[0-9a-f]{32}$/);
    expect(body.scope).toContain('read_orders');
    expect((await gql(sim, '{ shop { name } }', { token: body.access_token })).data.shop.name).toBe('simulator-shop');
    sim.clock.advance(86_398_000);
    expect((await gqlRaw(sim, '{ shop { name } }', { token: body.access_token })).status).toBe(200);
    sim.clock.advance(2000);
    expect((await gqlRaw(sim, '{ shop { name } }', { token: body.access_token })).status).toBe(401);
    expect((await gqlRaw(sim, '{ shop { name } }')).status).toBe(200);
  });

  it('refuses wrong client credentials and other grant types', async () => {
    const bad = await grant({ grant_type: 'client_credentials', client_id: 'my-client', client_secret: 'nope' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
    expect((await grant({ grant_type: 'authorization_code', code: 'x' })).status).toBe(400);
  });
});

describe('endpoint and versions', () => {
  it('answers X-Shopify-API-Version with the version used; unsupported versions fall forward to the oldest', async () => {
    const current = await gqlRaw(sim, '{ shop { name } }', { version: '2026-04' });
    expect(current.headers.get('x-shopify-api-version')).toBe('2026-04');
    const old = await gqlRaw(sim, '{ shop { name } }', { version: '2023-04' });
    expect(old.headers.get('x-shopify-api-version')).toBe('2025-01');
    const unstable = await gqlRaw(sim, '{ shop { name } }', { version: 'unstable' });
    expect(unstable.headers.get('x-shopify-api-version')).toBe('2026-07');
  });

  it('accepts application/graphql bodies', async () => {
    const res = await fetch(sim.graphqlUrl('2026-07'), { method: 'POST', headers: { 'content-type': 'application/graphql', 'x-shopify-access-token': sim.accessToken }, body: '{ shop { name myshopifyDomain } }' });
    expect(await res.json()).toMatchObject({ data: { shop: { name: 'simulator-shop', myshopifyDomain: 'simulator-shop.myshopify.com' } } });
  });

  it('reports syntax and schema errors Shopify-style at the top level', async () => {
    const syntax = await gql(sim, '{ shop { name }', { invalid: true });
    expect(syntax).toEqual({ errors: [{ message: 'syntax error, unexpected end of file', locations: [{ line: 1, column: 16 }] }] });
    const unknown = await gql(sim, '{ shop { name madeUp } }', { invalid: true });
    expect(unknown).toEqual({ errors: [{ message: "Field 'madeUp' doesn't exist on type 'Shop'", locations: [{ line: 1, column: 15 }], extensions: { code: 'undefinedField', typeName: 'Shop', fieldName: 'madeUp' } }] });
    const removed = await gql(sim, 'mutation { inventorySetScheduledChanges(input: {reason: "x", items: [], referenceDocumentUri: "x"}) { userErrors { message } } }', { invalid: true });
    expect(removed.errors[0].message).toBe("Field 'inventorySetScheduledChanges' doesn't exist on type 'Mutation'");
  });

  it('serves non-bulk reads: pagination, node, lookups, any valid selection', async () => {
    const page = await gql(sim, '{ products(first: 3, sortKey: ID) { edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }');
    const next = await gql(sim, 'query($after: String) { products(first: 3, after: $after, sortKey: ID) { nodes { id } } }', { variables: { after: page.data.products.pageInfo.endCursor } });
    const all = sim.store.list('products').map((e) => e.gid);
    expect(page.data.products.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(all.slice(0, 3));
    expect(next.data.products.nodes.map((n: { id: string }) => n.id)).toEqual(all.slice(3, 6));
    const id = all[0] as string;
    const node = await gql(sim, `{ node(id: "${id}") { id ... on Product { title variants(first: 5) { nodes { id product { id } } } } } product(id: "${id}") { id } }`);
    expect(node.data.node.id).toBe(id);
    expect(node.data.product.id).toBe(id);
    expect(node.data.node.variants.nodes[0].product.id).toBe(id);
    const unmodelled = await gql(sim, `{ product(id: "${id}") { category { fullName } resourcePublicationsCount { count } contextualPricing(context: {country: CA}) { maxVariantPricing { price { amount } } } } }`);
    expect(unmodelled.errors).toBeUndefined();
    expect(typeof unmodelled.data.product.resourcePublicationsCount.count).toBe('number');
  });
});
