/** The `Date` response header is Shopify's clock, i.e. the simulator clock, on every kind of answer. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { exportAll, gqlRaw, start } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ orders: 20 });
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.clock.freeze(false);
});

const AT = '2030-01-02T03:04:05.678Z';
const HTTP_DATE = 'Wed, 02 Jan 2030 03:04:05 GMT';

describe('Date header from the simulator clock', () => {
  it('GraphQL, errors, faults, downloads, OAuth, control routes and 404s all carry the simulator time', async () => {
    sim.clock.set(AT);
    sim.clock.freeze(true);
    const { op } = await exportAll(sim, '{ products { edges { node { id } } } }');
    expect(op.url).toBeTruthy();

    const answers: Response[] = [
      await gqlRaw(sim, '{ shop { id } }'),
      await gqlRaw(sim, '{ shop { id } }', { token: 'wrong-token' }),
      await fetch(String(op.url)),
      await fetch(`${sim.url}/admin/oauth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'simulator-client-id', client_secret: 'simulator-client-secret', grant_type: 'client_credentials' }),
      }),
      await fetch(`${sim.url}/__simulator/clock`),
      await fetch(`${sim.url}/nowhere`),
    ];
    sim.faults.add({ match: 'query', action: { type: 'http', status: 503 } });
    answers.push(await gqlRaw(sim, '{ shop { id } }'));
    expect(answers.map((r) => r.status)).toEqual([200, 401, 200, 200, 200, 404, 503]);
    for (const res of answers) {
      expect(res.headers.get('date')).toBe(HTTP_DATE);
      await res.arrayBuffer();
    }
  });

  it('follows the clock as it moves, far from real time', async () => {
    sim.clock.set('1999-12-31T23:59:59Z');
    sim.clock.freeze(true);
    const first = await gqlRaw(sim, '{ shop { id } }');
    expect(first.headers.get('date')).toBe('Fri, 31 Dec 1999 23:59:59 GMT');
    sim.clock.advance(61_000);
    const second = await gqlRaw(sim, '{ shop { id } }');
    expect(second.headers.get('date')).toBe('Sat, 01 Jan 2000 00:01:00 GMT');
    expect(Date.parse(second.headers.get('date') ?? '')).toBe(sim.clock.now() - (sim.clock.now() % 1000));
  });
});
