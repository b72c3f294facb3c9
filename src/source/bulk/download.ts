/**
 * Streams a bulk result file. A connection that drops mid-file is resumed with a `Range` request from
 * the last byte received (or, if the server ignores ranges, the bytes already seen are skipped), under
 * the shared retry policy. A body shorter than its Content-Length, or one that does not end with the
 * newline Shopify writes after every line, is a truncated download and an error.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createGunzip } from 'node:zlib';
import { ConnectorError, HttpError } from '../../runtime/errors.js';
import { parseRetryAfter, withRetry, type RetryPolicy } from '../../runtime/retry.js';
import { collectYoungGarbage } from '../../runtime/young-heap.js';

/** Bytes read between two collections of the dead socket chunks (young-heap.ts). */
const COLLECT_EVERY_BYTES = 4 * 1024 * 1024;

export class TruncatedDownloadError extends ConnectorError {
  constructor(message: string) {
    super(message, { failureType: 'transient_error' });
    this.name = 'TruncatedDownloadError';
  }
}

/**
 * The signed result URL was refused as expired or no longer valid (GCS answers 400 ExpiredToken, or
 * 403/410). Downloading again cannot help; a new bulk job for the window gives a new URL.
 */
export class ResultUrlRefusedError extends HttpError {
  constructor(message: string, status: number) {
    super(message, status);
    this.name = 'ResultUrlRefusedError';
  }
}

export interface DownloadOptions {
  label: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  retryPolicy?: Partial<RetryPolicy>;
}

/** The part of a response `open` reads, from fetch (injected in tests) or from node:http(s). */
interface RawResponse {
  status: number;
  header(name: string): string | null;
  body: AsyncIterable<Uint8Array> | undefined;
  cancel(): Promise<void> | void;
  text(): Promise<string>;
}

function fromFetch(res: Response): RawResponse {
  return {
    status: res.status,
    header: (name) => res.headers.get(name),
    body: (res.body ?? undefined) as AsyncIterable<Uint8Array> | undefined,
    cancel: () => res.body?.cancel(),
    text: () => res.text(),
  };
}

/** A GET with node:http(s): its body is a Node stream, with none of the web-stream plumbing fetch adds per chunk. */
async function nodeGet(url: string, headers: Record<string, string>, signal: AbortSignal | undefined, redirects = 5): Promise<RawResponse> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = request(target, { headers, ...(signal ? { signal } : {}) }, resolve);
    req.on('error', reject);
    req.end();
  });
  const location = res.headers.location;
  if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && location && redirects > 0) {
    res.resume();
    return nodeGet(new URL(location, target).toString(), headers, signal, redirects - 1);
  }
  const header = (name: string): string | null => {
    const v = res.headers[name.toLowerCase()];
    return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
  };
  // Asked for identity; a server that gzips anyway is decoded here, as fetch would.
  let body: AsyncIterable<Uint8Array> = res;
  if (/^(x-)?gzip$/i.test(header('content-encoding') ?? '')) {
    const gunzip = createGunzip();
    res.on('error', (err) => gunzip.destroy(err));
    body = res.pipe(gunzip);
  }
  return {
    status: res.statusCode ?? 0,
    header,
    body,
    cancel: () => void res.destroy(),
    text: async () => {
      const parts: Buffer[] = [];
      for await (const c of res) parts.push(c as Buffer);
      return Buffer.concat(parts).toString('utf8');
    },
  };
}

async function open(url: string, offset: number, options: DownloadOptions): Promise<{ body: AsyncIterable<Uint8Array> | undefined; skip: number; total: number | undefined }> {
  const injected = options.fetch && options.fetch !== globalThis.fetch ? options.fetch : undefined;
  return withRetry(
    async () => {
      // Plain bytes: fetch's own gzip decoding is many times slower than the line framing after it,
      // and a raw body keeps Content-Length checkable and Range offsets in file bytes.
      const headers: Record<string, string> = { 'accept-encoding': 'identity' };
      if (offset > 0) headers.range = `bytes=${offset}-`;
      const res = injected ? fromFetch(await injected(url, { headers, ...(options.signal ? { signal: options.signal } : {}) })) : await nodeGet(url, headers, options.signal);
      if (res.status === 416) {
        // Nothing after `offset`: the file really ends where the previous response stopped.
        await res.cancel();
        return { body: undefined, skip: 0, total: offset };
      }
      if (res.status < 200 || res.status >= 300 || !res.body) {
        const text = res.status === 400 ? await res.text().catch(() => '') : '';
        if (res.status !== 400) await res.cancel();
        if (res.status === 403 || res.status === 410 || /ExpiredToken|expired/i.test(text)) {
          throw new ResultUrlRefusedError(`Download of ${options.label} was refused with HTTP ${res.status}: the signed result URL has expired or is no longer valid`, res.status);
        }
        throw new HttpError(`Download of ${options.label} failed with HTTP ${res.status}`, res.status, parseRetryAfter(res.header('retry-after')));
      }
      // A server that encodes anyway: the body arrives decoded, and Content-Length counts encoded bytes.
      const encoded = (res.header('content-encoding') ?? 'identity') !== 'identity';
      const length = encoded ? Number.NaN : Number(res.header('content-length') ?? Number.NaN);
      if (res.status === 206) {
        const m = /\/(\d+)$/.exec(res.header('content-range') ?? '');
        return { body: res.body, skip: 0, total: m ? Number(m[1]) : Number.isFinite(length) ? offset + length : undefined };
      }
      return { body: res.body, skip: offset, total: Number.isFinite(length) ? length : undefined };
    },
    { operation: `download of ${options.label}`, ...(options.signal ? { signal: options.signal } : {}), ...(options.retryPolicy ? { policy: options.retryPolicy } : {}) },
  );
}

/** The file's bytes in order, each exactly once. */
export async function* downloadChunks(url: string, options: DownloadOptions): AsyncGenerator<Buffer> {
  let received = 0;
  let total: number | undefined;
  let lastByte = -1;
  let resumes = 0;
  let uncollected = 0;
  const maxResumes = options.retryPolicy?.maxAttempts ?? 8;
  for (;;) {
    const opened = await open(url, received, options);
    total ??= opened.total;
    if (!opened.body) break;
    let skip = opened.skip;
    let failure: unknown;
    let got = 0;
    try {
      for await (const raw of opened.body) {
        let chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
        if (skip > 0) {
          const drop = Math.min(skip, chunk.length);
          skip -= drop;
          chunk = chunk.subarray(drop);
          if (chunk.length === 0) continue;
        }
        received += chunk.length;
        got += chunk.length;
        lastByte = chunk[chunk.length - 1]!;
        yield chunk;
        // The consumer has copied what it keeps of the chunk by now.
        uncollected += chunk.length;
        if (uncollected >= COLLECT_EVERY_BYTES) {
          uncollected = 0;
          collectYoungGarbage();
        }
      }
    } catch (err) {
      if (options.signal?.aborted) throw err;
      failure = err;
    }
    const short = total !== undefined && received < total;
    // A connection closed early can look like a clean end (no length to compare, e.g. gzip): a file
    // that stops mid-line is asked for its remaining bytes before it is called truncated.
    const midLine = received > 0 && lastByte !== 0x0a;
    if (failure === undefined && !short && (!midLine || (resumes > 0 && got === 0))) break;
    if (++resumes > maxResumes) {
      throw new TruncatedDownloadError(`Download of ${options.label} stopped at byte ${received}${total === undefined ? '' : ` of ${total}`} and could not be resumed`);
    }
  }
  if (total !== undefined && received > total) throw new TruncatedDownloadError(`Download of ${options.label} returned ${received} bytes, more than the ${total} announced`);
  if (received > 0 && lastByte !== 0x0a) {
    throw new TruncatedDownloadError(`Download of ${options.label} ends in the middle of a line (${received} bytes): the file is truncated`);
  }
}

