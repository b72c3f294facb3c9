/**
 * Extraction through parse worker threads (the compiled worker in dist/, loaded by the pool), grouped
 * and ungrouped, against the single-threaded path on the same files.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SerializedRecords, expandMessages } from '../../../../src/protocol/serialized.js';
import { ReassemblyError } from '../../../../src/source/bulk/assemble.js';
import { CountMismatchError, extractRecords, type ExtractOptions } from '../../../../src/source/bulk/extract.js';
import { MAX_WORKER_BLOCK_BYTES, ParsePool, ParseWorkerError, WorkerHeapError } from '../../../../src/source/bulk/parse-pool.js';
import type { SourceRecord } from '../../../../src/source/streams/define.js';
import { orders } from '../../../../src/source/streams/orders.js';
import { servingInChunks } from '../../../support/chunked-fetch.js';

const order = (n: number): string => `{"id":"gid:\\/\\/shopify\\/Order\\/${n}","name":"#${n}","note":"says \\"__parentId\\":\\"gid:\\/\\/shopify\\/Order\\/1\\" and caf\u00e9"}`;
const item = (o: number, i: number): string => `{"id":"gid:\\/\\/shopify\\/LineItem\\/${o * 10000 + i}","quantity":${i},"__parentId":"gid:\\/\\/shopify\\/Order\\/${o}"}`;

/** Orders 1..n; order 3 has many line items, so one early block costs far more than the others. */
function file(n: number): string[] {
  const out: string[] = [];
  for (let o = 1; o <= n; o++) {
    out.push(order(o));
    const items = o === 3 ? 3000 : o % 4;
    for (let i = 0; i < items; i++) out.push(item(o, i));
  }
  return out;
}

const serving = (body: string): typeof fetch => servingInChunks(body, 997);

const pools: ParsePool[] = [];
afterAll(async () => Promise.all(pools.map((p) => p.close())));
function pool(size: number, script?: string): ParsePool {
  const p = script ? new ParsePool(size, () => script, true) : new ParsePool(size);
  pools.push(p);
  return p;
}

function options(lines: string[], objectCount: number, parallel?: ParsePool): ExtractOptions {
  return {
    label: 'orders test',
    extraction: orders.extraction as ExtractOptions['extraction'],
    recordContext: { shop: 'my-shop' },
    grouped: true,
    objectCount,
    download: { fetch: serving(`${lines.join('\n')}\n`), retryPolicy: { maxAttempts: 1 } },
    spill: { nestedDepth: 1 },
    ...(parallel ? { parallel: { pool: parallel, stream: 'orders', blockBytes: 4096 } } : {}),
  };
}

/** Every record yielded (data only), the number of worker blocks, and the error if one ended it. */
async function drain(opts: ExtractOptions) {
  const records: SourceRecord[] = [];
  let blocks = 0;
  let stats: unknown;
  let error: unknown;
  try {
    const gen = extractRecords('http://results.test/file.jsonl', opts);
    for (;;) {
      const next = await gen.next();
      if (next.done) {
        stats = next.value;
        break;
      }
      if (next.value instanceof SerializedRecords) {
        blocks++;
        for (const m of expandMessages(next.value)) if (m.type === 'RECORD') records.push(m.record.data);
      } else records.push(...next.value);
    }
  } catch (err) {
    error = err;
  }
  return { records, blocks, stats, error };
}

describe('grouped extraction in parse workers', () => {
  it('gives exactly the records of the single-threaded path, in file order, across workers', async () => {
    const lines = file(200);
    const single = await drain(options(lines, lines.length));
    const parallel = await drain(options(lines, lines.length, pool(2)));
    expect(single.error).toBeUndefined();
    expect(parallel.error).toBeUndefined();
    expect(parallel.blocks).toBeGreaterThan(10);
    expect(parallel.records).toHaveLength(200);
    expect(parallel.records).toEqual(single.records);
    expect(parallel.records.map((r) => r.id)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(parallel.stats).toEqual(single.stats);
  });

  it('names the line of the file in a worker’s parse error, after the records before it', async () => {
    const lines = file(200);
    const bad = lines.length - 40;
    lines[bad - 1] = '{"id":"gid:\\/\\/shopify\\/Order\\/9999",';
    const single = await drain(options(lines, lines.length));
    const parallel = await drain(options(lines, lines.length, pool(2)));
    expect(String(parallel.error)).toMatch(new RegExp(`line ${bad} of the bulk result is not valid JSON`));
    expect(String(single.error)).toMatch(new RegExp(`line ${bad} of the bulk result is not valid JSON`));
    expect(parallel.records.length).toBeGreaterThan(100);
    expect(parallel.records).toEqual(single.records.slice(0, parallel.records.length));
  });

  it('names invalid UTF-8 by its line', async () => {
    const lines = file(100);
    const text = Buffer.from(`${lines.join('\n')}\n`);
    const at = text.indexOf('#90');
    text[at + 1] = 0xff;
    const lineNo = text.subarray(0, at).toString('latin1').split('\n').length;
    const opts = options(lines, lines.length, pool(2));
    opts.download.fetch = (async () => new Response(text, { status: 200, headers: { 'content-length': String(text.length) } })) as typeof fetch;
    const { error } = await drain(opts);
    expect(String(error)).toMatch(new RegExp(`line ${lineNo}: invalid UTF-8`));
  });

  it('refuses a short file before the last records go out', async () => {
    const lines = file(3);
    const { records, error } = await drain(options(lines, lines.length + 1, pool(2)));
    expect(error).toBeInstanceOf(CountMismatchError);
    expect(records.length).toBeLessThan(3);
  });

  it('reports a child whose parent is not the current root as not grouped', async () => {
    const lines = file(200);
    lines.push(item(5, 99), order(201));
    const { error } = await drain(options(lines, lines.length, pool(2)));
    expect(error).toBeInstanceOf(ReassemblyError);
    expect(String(error)).toMatch(new RegExp(`line ${lines.length - 1} belongs to gid://shopify/Order/5.*not grouped`));
  });

  it('keeps file order when a huge root’s block (over the worker limit) is parsed on the main thread', async () => {
    // Order 100 has 50,000 line items: one block of ~5 MB between small ones.
    const lines = [order(1), item(1, 0), order(100)];
    for (let i = 0; i < 50_000; i++) lines.push(item(100, i));
    lines.push(order(2), item(2, 0), order(3));
    const single = await drain(options(lines, lines.length));
    const opts = options(lines, lines.length, pool(2));
    // Production-sized blocks: a root is scanned again each time a block's worth more of it arrives.
    opts.parallel!.blockBytes = 1024 * 1024;
    const parallel = await drain(opts);
    expect(parallel.error).toBeUndefined();
    expect(parallel.records).toEqual(single.records);
    expect(parallel.records.map((r) => r.id)).toEqual([1, 100, 2, 3]);
    expect(parallel.records[1]?.line_items).toHaveLength(50_000);
  });

  it('parses the largest block a worker takes within the production heap cap', async () => {
    // A line item as the simulator writes it (money sets, tax lines): ~1.1 KB, dozens of objects.
    const realistic = (i: number): string =>
      `{"id":"gid:\\/\\/shopify\\/LineItem\\/${13000000000000 + i}","name":"Item ${i}","title":"Item ${i}","variantTitle":null,"sku":null,"vendor":null,"quantity":4,"currentQuantity":4,"requiresShipping":true,"taxable":true,"isGiftCard":false,"product":{"id":"gid:\\/\\/shopify\\/Product\\/8100000000004"},"variant":{"id":"gid:\\/\\/shopify\\/ProductVariant\\/4300000000016"},"originalUnitPriceSet":{"shopMoney":{"amount":"21.00","currencyCode":"USD"},"presentmentMoney":{"amount":"16.59","currencyCode":"GBP"}},"totalDiscountSet":{"shopMoney":{"amount":"0.00","currencyCode":"USD"},"presentmentMoney":{"amount":"0.00","currencyCode":"GBP"}},"taxLines":[{"title":"VAT","rate":0.19,"ratePercentage":19,"channelLiable":false,"source":"Shopify","priceSet":{"shopMoney":{"amount":"15.96","currencyCode":"USD"},"presentmentMoney":{"amount":"12.61","currencyCode":"GBP"}}},{"title":"State Tax","rate":0.13,"ratePercentage":13,"channelLiable":false,"source":"Shopify","priceSet":{"shopMoney":{"amount":"10.92","currencyCode":"USD"},"presentmentMoney":{"amount":"8.63","currencyCode":"GBP"}}}],"discountAllocations":[],"__parentId":"gid:\\/\\/shopify\\/Order\\/7"}`;
    const big = [order(7)];
    for (let i = 0; Buffer.byteLength(big.join('\n')) < MAX_WORKER_BLOCK_BYTES - 4096; i++) big.push(realistic(i));
    expect(Buffer.byteLength(`${big.join('\n')}\n`)).toBeLessThan(MAX_WORKER_BLOCK_BYTES); // one block, sent to a worker
    const lines = [order(1), item(1, 0), ...big, order(8)];
    const opts = options(lines, lines.length, pool(1));
    opts.parallel!.blockBytes = 1024 * 1024;
    const parallel = await drain(opts);
    expect(parallel.error).toBeUndefined();
    expect(parallel.records.map((r) => r.id)).toEqual([1, 7, 8]);
    expect(parallel.records[1]?.line_items).toHaveLength(big.length - 1);
    expect(parallel.records).toEqual((await drain(options(lines, lines.length))).records);
  });

  it('reports a worker that runs out of heap as WorkerHeapError', async () => {
    const hog = "const keep = []; require('node:worker_threads').parentPort.on('message', () => { for (;;) keep.push(new Array(100000).fill(keep.length)); });";
    const small = new ParsePool(1, () => hog, true, 16);
    pools.push(small);
    const { error, records } = await drain(options(file(20), file(20).length, small));
    expect(error).toBeInstanceOf(WorkerHeapError);
    expect(String(error)).toMatch(/parse worker thread failed.*the result being read is incomplete/);
    expect(records).toEqual([]);
  });

  it('fails the result with a clear error when a worker dies or throws', async () => {
    const lines = file(50);
    const exits = await drain(options(lines, lines.length, pool(2, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));")));
    expect(exits.error).toBeInstanceOf(ParseWorkerError);
    expect(String(exits.error)).toMatch(/parse worker thread exited with code 3; the result being read is incomplete/);
    expect(exits.records).toEqual([]);
    const throws = await drain(options(lines, lines.length, pool(1, "require('node:worker_threads').parentPort.on('message', () => { throw new Error('boom'); });")));
    expect(throws.error).toBeInstanceOf(ParseWorkerError);
    expect(String(throws.error)).toMatch(/parse worker thread failed: boom/);
  });
});

/** Children first, roots last, newest order first: an order no grouping survives. */
function scrambled(n: number): string[] {
  const children: string[] = [];
  const roots: string[] = [];
  for (let o = n; o >= 1; o--) {
    roots.push(order(o));
    for (let i = 0; i < (o === 3 ? 300 : o % 4); i++) children.push(item(o, i));
  }
  // Every child must follow its parent: the roots of the first half go first, their children next.
  const half = roots.slice(n / 2);
  return [...half, ...children.filter((l) => Number(/Order\\\/(\d+)"}$/.exec(l)?.[1]) <= n / 2), ...roots.slice(0, n / 2), ...children.filter((l) => Number(/Order\\\/(\d+)"}$/.exec(l)?.[1]) > n / 2)];
}

function ungrouped(lines: string[], objectCount: number, tempDir: string, parallel?: ParsePool): ExtractOptions {
  const opts = options(lines, objectCount, parallel);
  return { ...opts, grouped: false, spill: { nestedDepth: 1, bucketCount: 37, memoryLimitBytes: 8192, tempDir } };
}

describe('ungrouped extraction in parse workers', () => {
  it('gives exactly the records of the single-threaded path, spilled to disk, and removes its temp files', async () => {
    const lines = scrambled(200);
    const dir = mkdtempSync(join(tmpdir(), 'extract-parallel-'));
    const single = await drain(ungrouped(lines, lines.length, dir));
    const parallel = await drain(ungrouped(lines, lines.length, dir, pool(2)));
    expect(single.error).toBeUndefined();
    expect(parallel.error).toBeUndefined();
    expect(parallel.blocks).toBeGreaterThan(5);
    expect(parallel.records).toHaveLength(200);
    expect(parallel.records).toEqual(single.records);
    expect(parallel.records.map((r) => r.id).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(parallel.records.find((r) => r.id === 3)?.line_items).toHaveLength(300);
    expect(parallel.stats).toEqual(single.stats);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names an orphan line found by a worker, and refuses a short file before any record goes out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'extract-parallel-'));
    const lines = scrambled(100);
    const orphan = [...lines, item(999, 1)];
    const bad = await drain(ungrouped(orphan, orphan.length, dir, pool(2)));
    expect(bad.error).toBeInstanceOf(ReassemblyError);
    expect(String(bad.error)).toMatch(new RegExp(`line ${orphan.length} is a child of gid://shopify/Order/999`));
    const short = await drain(ungrouped(lines, lines.length + 1, dir, pool(2)));
    expect(short.error).toBeInstanceOf(CountMismatchError);
    expect(short.records).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });
});
