import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { configureDestination, DEFAULT_GZIP_LEVEL } from '../../../src/destination/config.js';
import { SpoolFile } from '../../../src/destination/formats/spool.js';
import { TextOutput } from '../../../src/destination/formats/text-output.js';

const dir = mkdtempSync(join(tmpdir(), 'text-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function written(level: number | undefined, lines: string[]): Promise<Buffer> {
  const spool = new SpoolFile(join(dir, `part-${level ?? 'plain'}-${Math.random()}`));
  const out = new TextOutput(spool, level);
  for (const l of lines) await out.append(l);
  await out.finish();
  const part = spool.close();
  return readFileSync(part.path);
}

const config = (compression?: Record<string, unknown>) =>
  configureDestination({ gcs_bucket_name: 'b', credential: { credential_type: 'APPLICATION_DEFAULT' }, format: { format_type: 'JSONL', ...(compression ? { compression } : {}) } });

describe('text output compression level', () => {
  it('compresses at the configured level, and every level round-trips', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `{"id":${i},"name":"customer ${i % 97}","note":"${'abcdefghij'.slice(i % 10)}${i * 7919}"}\n`);
    const fastest = await written(1, lines);
    const smallest = await written(9, lines);
    const plain = await written(undefined, lines);
    expect(plain.toString()).toBe(lines.join(''));
    expect(gunzipSync(fastest).toString()).toBe(lines.join(''));
    expect(gunzipSync(smallest).toString()).toBe(lines.join(''));
    expect(smallest.length).toBeLessThan(fastest.length);
  });

  it('keeps every byte across chunk and buffer boundaries, multi-byte text and lines longer than a buffer', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) lines.push(`${'ドア📦é'.repeat(i % 50)}${i}\n`);
    lines.splice(1000, 0, `${'📦'.repeat(200_000)}\n`, `${'x'.repeat(400_000)}\n`);
    lines.splice(2000, 0, `${'é'.repeat(349_000)}\n`);
    const expected = Buffer.from(lines.join(''), 'utf8');
    expect((await written(undefined, lines)).equals(expected)).toBe(true);
    expect(gunzipSync(await written(3, lines)).equals(expected)).toBe(true);
  });

  it('defaults to level 3 and takes the level from the config', () => {
    expect(DEFAULT_GZIP_LEVEL).toBe(3);
    expect(config().format).toMatchObject({ gzip: true, gzipLevel: 3 });
    expect(config({ compression_type: 'GZIP', compression_level: 9 }).format).toMatchObject({ gzip: true, gzipLevel: 9 });
    expect(config({ compression_type: 'No Compression' }).format).toMatchObject({ gzip: false });
    expect(() => config({ compression_type: 'GZIP', compression_level: 0 })).toThrow(/config\.format\.compression\.compression_level must be an integer from 1 to 9/);
  });
});
