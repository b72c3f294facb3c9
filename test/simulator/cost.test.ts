/** Reference §3.1: calculated cost, the leaky bucket, THROTTLED and MAX_COST_EXCEEDED. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { gql, start } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.clock.freeze(true);
});

describe('query cost and throttling', () => {
  it('reports extensions.cost on every executed response and drains the bucket by the requested cost', async () => {
    const query = '{ orders(first: 10) { edges { node { id customer { id } } } } }';
    const first = await gql(sim, query);
    expect(first.extensions.cost).toEqual({ requestedQueryCost: 22, actualQueryCost: 22, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1978, restoreRate: 100 } });
    const second = await gql(sim, query);
    expect(second.extensions.cost.throttleStatus.currentlyAvailable).toBe(1956);
    sim.clock.advance(1000);
    const third = await gql(sim, '{ shop { id } }');
    expect(third.extensions.cost).toMatchObject({ requestedQueryCost: 1, throttleStatus: { currentlyAvailable: 2000 - 1 } });
  });

  it('answers THROTTLED with actualQueryCost null when the bucket is short, and recovers at the restore rate', async () => {
    sim.setAvailableCost(5);
    const body = await gql(sim, '{ orders(first: 10) { edges { node { id } } } }');
    expect(body).toEqual({
      errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
      extensions: { cost: { requestedQueryCost: 12, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 5, restoreRate: 100 } } },
    });
    sim.clock.advance(70);
    expect((await gql(sim, '{ orders(first: 10) { edges { node { id } } } }')).data.orders.edges).toHaveLength(10);
  });

  it('rejects a query whose requested cost exceeds 1000 with MAX_COST_EXCEEDED', async () => {
    const body = await gql(sim, '{ orders(first: 250) { edges { node { id lineItems(first: 250) { edges { node { id } } } } } } }');
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{ message: 'Query cost is 63252, which exceeds the single query max cost limit (1000).', extensions: { code: 'MAX_COST_EXCEEDED', cost: 63252, maxCost: 1000, documentation: 'https://shopify.dev/api/usage/rate-limits' } }]);
    expect(body.extensions.cost.actualQueryCost).toBeNull();
    expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBe(2000);
  });

  it('uses a configurable bucket per token', async () => {
    sim.setThrottle({ maximumAvailable: 50, restoreRate: 5 });
    sim.addToken('other-token', ['read_orders']);
    try {
      await gql(sim, '{ orders(first: 20) { edges { node { id } } } }');
      const own = await gql(sim, '{ shop { id } }');
      expect(own.extensions.cost.throttleStatus).toEqual({ maximumAvailable: 50, currentlyAvailable: 50 - 22 - 1, restoreRate: 5 });
      const other = await gql(sim, '{ shop { id } }', { token: 'other-token' });
      expect(other.extensions.cost.throttleStatus.currentlyAvailable).toBe(49);
    } finally {
      sim.setThrottle({ maximumAvailable: 2000, restoreRate: 100 });
    }
  });
});
