/**
 * Result downloads: signed, expiring URLs (reference §1.9) served from disk as a stream, gzip when
 * the client accepts it, byte ranges for resuming, and the download faults (cut off, expired).
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createGzip } from 'node:zlib';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SimulatorState } from '../simulator.js';
import { sendHttpFault } from './util.js';

const EXPIRED_XML = '<?xml version=\'1.0\' encoding=\'UTF-8\'?><Error><Code>ExpiredToken</Code><Message>The provided token has expired.</Message><Details>Request signature expired at: {expires}</Details></Error>';
const DENIED_XML = '<?xml version=\'1.0\' encoding=\'UTF-8\'?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>';

function xml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/xml; charset=UTF-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Passes the first `limit` bytes, then destroys the connection. The socket is taken now: once the
 * shortened response has ended, `res.socket` is detached and a kept-alive connection would stay open,
 * leaving the client waiting for the rest of Content-Length.
 */
function cutAfter(limit: number, res: ServerResponse): Transform {
  let sent = 0;
  const socket = res.socket;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const room = limit - sent;
      if (room <= 0) return done();
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      sent += part.length;
      this.push(part);
      if (sent >= limit) setTimeout(() => socket?.destroy(), 10);
      done();
    },
  });
}

export async function downloadRoute(state: SimulatorState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname;
  const log = (status: number, fault?: string, id?: string) => state.record({ method: req.method ?? 'GET', path, kind: 'download', status, ...(id ? { bulkOperationId: id } : {}), ...(fault ? { fault } : {}) });
  const checked = state.files.check(path, url.searchParams, state.clock.now());
  if ('refused' in checked) {
    log(checked.refused === 'expired' ? 400 : 403);
    if (checked.refused === 'expired') xml(res, 400, EXPIRED_XML.replace('{expires}', url.searchParams.get('Expires') ?? ''));
    else xml(res, 403, DENIED_XML);
    return;
  }
  const job = state.operations.byFileKey(checked.key);
  const id = job?.gid;
  const fault = state.faults.forDownload(path, job?.query);
  if (fault?.type === 'urlExpired') {
    log(400, 'urlExpired', id);
    xml(res, 400, EXPIRED_XML.replace('{expires}', url.searchParams.get('Expires') ?? ''));
    return;
  }
  if (fault?.type === 'http') {
    log(fault.status, `http ${fault.status}`, id);
    sendHttpFault(res, fault.status, fault.retryAfter);
    return;
  }
  const file = state.files.pathFor(checked.key);
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    log(404, undefined, id);
    xml(res, 404, '<?xml version=\'1.0\' encoding=\'UTF-8\'?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>');
    return;
  }
  const name = `bulk-${job?.numericId ?? 0}.jsonl`;
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/jsonl',
    'Content-Disposition': `attachment; filename="${name}"; filename*=UTF-8''${name}`,
    'Accept-Ranges': 'bytes',
  };
  const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const gzip = !range && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  let start = 0;
  let end = size - 1;
  let status = 200;
  if (range) {
    start = Number(range[1]);
    end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    if (start >= size) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` });
      res.end();
      log(416, undefined, id);
      return;
    }
    status = 206;
    headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  }
  if (gzip) headers['Content-Encoding'] = 'gzip';
  else headers['Content-Length'] = Math.max(0, end - start + 1);
  log(status, fault?.type, id);
  res.writeHead(status, headers);
  if (req.method === 'HEAD' || size === 0) {
    res.end();
    return;
  }
  if (fault?.type === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
  const source = createReadStream(file, { start, end, highWaterMark: 1 << 20 });
  const stages: NodeJS.ReadWriteStream[] = [];
  if (gzip) stages.push(createGzip({ level: 1 }));
  if (fault?.type === 'downloadCut') stages.push(cutAfter(fault.afterBytes, res));
  // A reset mid-download: the client got the headers and the first bytes of the real file (never other bytes).
  if (fault?.type === 'reset') stages.push(cutAfter(Math.min(16, Math.max(1, Math.floor((end - start + 1) / 2))), res));
  try {
    await pipeline(source, ...(stages as [NodeJS.ReadWriteStream]), res);
  } catch {
    res.destroy();
  }
}
