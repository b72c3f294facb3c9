import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CountMismatchError, extractRecords, type ExtractOptions } from '../../../../src/source/bulk/extract.js';
import { SerializedRecords } from '../../../../src/protocol/serialized.js';
import type { BulkNode, SourceRecord } from '../../../../src/source/streams/define.js';
import { servingInChunks } from '../../../support/chunked-fetch.js';

const order = (n: number): string => `{"id":"gid:\\/\\/shopify\\/Order\\/${n}","name":"#${n}"}`;
const item = (o: number, i: number): string => `{"id":"gid:\\/\\/shopify\\/LineItem\\/${o * 100 + i}","__parentId":"gid:\\/\\/shopify\\/Order\\/${o}"}`;

const serving = (body: string): typeof fetch => servingInChunks(body, 37);

function options(body: string, objectCount: number, tempDir: string): ExtractOptions {
  return {
    label: 'orders test',
    extraction: { kind: 'bulk', query: () => '', toRecords: (node: BulkNode) => [{ id: node.id, items: (node.__children?.LineItem ?? []).map((i) => i.id) } as SourceRecord] },
    recordContext: { shop: 'test' },
    grouped: false,
    objectCount,
    download: { fetch: serving(body), retryPolicy: { maxAttempts: 1 } },
    spill: { nestedDepth: 1, bucketCount: 4, memoryLimitBytes: 256, tempDir },
  };
}

async function drain(gen: AsyncGenerator<SourceRecord[] | SerializedRecords, unknown>): Promise<{ records: SourceRecord[]; stats: unknown }> {
  const records: SourceRecord[] = [];
  for (;;) {
    const next = await gen.next();
    if (next.done) return { records, stats: next.value };
    if (next.value instanceof SerializedRecords) throw new Error('an ungrouped result is read on the main thread');
    records.push(...next.value);
  }
}

describe('ungrouped extraction', () => {
  const lines = [order(1), order(2), item(2, 0), order(3), item(1, 0), item(3, 0), item(1, 1)];
  const body = `${lines.join('\n')}\n`;

  it('yields every root with its children and counts the lines, spilled to disk', async () => {
    const tempDir = mkdtempSync(join(tmpdir(), 'extract-test-'));
    const { records, stats } = await drain(extractRecords('http://results.test/file.jsonl', options(body, lines.length, tempDir)));
    expect(stats).toEqual({ lines: 7, roots: 3, records: 3 });
    const byId = new Map(records.map((r) => [r.id, r.items]));
    expect(byId.get('gid://shopify/Order/1')).toEqual(['gid://shopify/LineItem/100', 'gid://shopify/LineItem/101']);
    expect(byId.get('gid://shopify/Order/2')).toEqual(['gid://shopify/LineItem/200']);
    expect(byId.get('gid://shopify/Order/3')).toEqual(['gid://shopify/LineItem/300']);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('refuses a result whose line count is not the objectCount before any record goes out', async () => {
    const tempDir = mkdtempSync(join(tmpdir(), 'extract-test-'));
    const gen = extractRecords('http://results.test/file.jsonl', options(body, lines.length + 1, tempDir));
    await expect(gen.next()).rejects.toThrow(CountMismatchError);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('names an orphan line and removes its temp files', async () => {
    const tempDir = mkdtempSync(join(tmpdir(), 'extract-test-'));
    const bad = `${body}${item(9, 0)}\n`;
    await expect(drain(extractRecords('http://results.test/file.jsonl', options(bad, lines.length + 1, tempDir)))).rejects.toThrow(/line 8 is a child of gid:\/\/shopify\/Order\/9/);
    expect(readdirSync(tempDir)).toEqual([]);
  });
});
