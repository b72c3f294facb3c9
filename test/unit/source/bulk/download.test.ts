/** Streamed downloads against a local server that misbehaves in the ways a long download can. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadChunks, ResultUrlRefusedError, TruncatedDownloadError } from '../../../../src/source/bulk/download.js';
import { HttpError } from '../../../../src/runtime/errors.js';

const FILE = Buffer.from(Array.from({ length: 2000 }, (_, i) => `{"id":"gid:\\/\\/shopify\\/Order\\/${i}"}\n`).join(''));
let server: Server;
let base = '';
const seen: Array<{ path: string; range: string | undefined }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '';
    const range = req.headers.range;
    seen.push({ path, range });
    const from = range ? Number(/bytes=(\d+)-/.exec(range)?.[1]) : 0;
    if (path === '/cut-once' && !range) {
      // announces the whole file, sends a third, then drops the connection
      res.writeHead(200, { 'content-length': FILE.length });
      res.write(FILE.subarray(0, 10_000), () => res.destroy());
      return;
    }
    if (path === '/cut-no-ranges') {
      if (seen.filter((s) => s.path === path).length === 1) {
        res.writeHead(200, { 'content-length': FILE.length });
        res.write(FILE.subarray(0, 7_000), () => res.destroy());
        return;
      }
      res.writeHead(200, { 'content-length': FILE.length }); // ignores Range: whole file again
      res.end(FILE);
      return;
    }
    if (path === '/truncated') {
      const body = FILE.subarray(0, FILE.length - 7);
      if (range) {
        res.writeHead(416);
        res.end();
        return;
      }
      res.writeHead(200, {}); // no length to check: only the missing newline tells
      res.end(body);
      return;
    }
    if (path === '/expired' || path === '/bad-request') {
      const body = path === '/expired' ? '<?xml version=\'1.0\' encoding=\'UTF-8\'?><Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message></Error>' : 'nope';
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end(body);
      return;
    }
    if (range) {
      res.writeHead(206, { 'content-range': `bytes ${from}-${FILE.length - 1}/${FILE.length}`, 'content-length': FILE.length - from });
      res.end(FILE.subarray(from));
      return;
    }
    res.writeHead(200, { 'content-length': FILE.length });
    res.end(FILE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function collect(path: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of downloadChunks(`${base}${path}`, { label: `test ${path}`, retryPolicy: { baseDelayMs: 1, maxDelayMs: 5 } })) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('downloadChunks', () => {
  it('streams a whole file', async () => {
    expect((await collect('/ok')).equals(FILE)).toBe(true);
  });
  it('resumes a dropped connection with a Range request, every byte exactly once', async () => {
    expect((await collect('/cut-once')).equals(FILE)).toBe(true);
    expect(seen.filter((s) => s.path === '/cut-once').map((s) => s.range)).toEqual([undefined, 'bytes=10000-']);
  });
  it('skips the bytes it already has when the server ignores Range', async () => {
    expect((await collect('/cut-no-ranges')).equals(FILE)).toBe(true);
  });
  it('calls a file that ends mid-line truncated', async () => {
    await expect(collect('/truncated')).rejects.toBeInstanceOf(TruncatedDownloadError);
    await expect(collect('/truncated')).rejects.toThrow(/ends in the middle of a line/);
  });
  it('tells an expired signed URL (400 ExpiredToken) from any other 400, without retrying either', async () => {
    await expect(collect('/expired')).rejects.toBeInstanceOf(ResultUrlRefusedError);
    await expect(collect('/expired')).rejects.toThrow(/signed result URL has expired/);
    const other = await collect('/bad-request').catch((err: unknown) => err);
    expect(other).toBeInstanceOf(HttpError);
    expect(other).not.toBeInstanceOf(ResultUrlRefusedError);
    expect(seen.filter((s) => s.path === '/bad-request')).toHaveLength(1);
  });
});
