/** Done-when: a bulk export of 100,000 orders with line items, grouped and ungrouped, matches the store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { runBulk, start, waitDone } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start({ orders: 100_000, seed: 7 });
});
afterAll(async () => {
  await sim.close();
});

const ORDERS = `{ orders { edges { node { id name updatedAt totalPriceSet { shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }
  lineItems { edges { node { id quantity variant { id } } } } } } } }`;

interface Scan {
  roots: string[];
  children: number;
  interleaved: number;
  orphans: number;
  bytes: number;
}

/** Streams the download and checks every line without holding the file. */
async function scan(url: string): Promise<Scan> {
  const res = await fetch(url, { headers: { 'accept-encoding': 'identity' } });
  const decoder = new TextDecoder();
  const seen = new Set<string>();
  const result: Scan = { roots: [], children: 0, interleaved: 0, orphans: 0, bytes: 0 };
  let rest = '';
  let lastRoot = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    result.bytes += chunk.length;
    const text = rest + decoder.decode(chunk, { stream: true });
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const line of parts) {
      // Every line starts with its id and children end with __parentId; read both without a full parse
      // (a sample of lines is parsed to check they are valid JSON with the same values).
      const id = line.slice(7, line.indexOf('"', 7)).replaceAll('\\/', '/');
      const at = line.lastIndexOf(',"__parentId":"');
      const parentId = at < 0 ? undefined : line.slice(at + 15, -2).replaceAll('\\/', '/');
      if (result.roots.length % 97 === 0) expect(JSON.parse(line)).toMatchObject({ id, ...(parentId ? { __parentId: parentId } : {}) });
      if (parentId === undefined) {
        result.roots.push(id);
        seen.add(id);
        lastRoot = id;
      } else {
        result.children += 1;
        if (!seen.has(parentId)) result.orphans += 1;
        if (parentId !== lastRoot) result.interleaved += 1;
      }
    }
  }
  expect(rest).toBe('');
  return result;
}

describe('100,000 orders with line items', () => {
  for (const group of [true, false]) {
    it(`exports them all (groupObjects: ${group})`, async () => {
      const started = Date.now();
      const run = await runBulk(sim, ORDERS, { group });
      const op = await waitDone(sim, run.bulkOperation.id, {}, 280_000);
      const seconds = (Date.now() - started) / 1000;
      expect(op.status).toBe('COMPLETED');
      const result = await scan(op.url);
      const expected = sim.store.list('orders');
      expect(expected).toHaveLength(100_000);
      expect(op.rootObjectCount).toBe('100000');
      expect(result.roots).toEqual(expected.map((e) => e.gid));
      expect(String(result.roots.length + result.children)).toBe(op.objectCount);
      expect(String(result.bytes)).toBe(op.fileSize);
      expect(result.orphans).toBe(0);
      if (group) expect(result.interleaved).toBe(0);
      else expect(result.interleaved).toBeGreaterThan(result.children / 2);
      console.log(`groupObjects ${group}: ${op.objectCount} objects, ${(result.bytes / 1e6).toFixed(0)} MB in ${seconds.toFixed(1)} s`);
    }, 300_000);
  }
});
