/**
 * Download floor: run one bulk query against the simulator (untimed), then fetch its result URL to
 * nowhere with Node's fetch, once as raw bytes (`accept-encoding: identity`, the floor) and once
 * with fetch's default `accept-encoding` (gzip on the wire, as the source fetches today), the latter
 * given up after LIMIT seconds. `node download-floor.mjs SIM_URL TOKEN QUERY_FILE [LIMIT]`; prints
 * {"seconds", "gzipSeconds", "gzipTimedOut", "gzipMBpsSoFar", "bytes"}.
 */
import { readFileSync } from 'node:fs';
import { runBulk } from '../lib/bulk-client.mjs';

const [simUrl, token, queryFile, limit = '600'] = process.argv.slice(2);
const op = await runBulk(simUrl, token, readFileSync(queryFile, 'utf8'), true, 50);

async function fetchAll(headers, limitSeconds) {
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const res = await fetch(op.url, { headers });
  if (!res.ok || !res.body) throw new Error(`download failed with HTTP ${res.status}`);
  const encoding = res.headers.get('content-encoding') ?? 'identity';
  let bytes = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    if (limitSeconds && elapsed() > limitSeconds) {
      await reader.cancel();
      return { seconds: elapsed(), encoding, timedOut: true, MBpsSoFar: bytes / 1e6 / elapsed() };
    }
  }
  if (bytes !== op.fileSize) throw new Error(`downloaded ${bytes} bytes, expected ${op.fileSize}`);
  return { seconds: elapsed(), encoding, timedOut: false };
}

const raw = await fetchAll({ 'accept-encoding': 'identity' });
const gzip = await fetchAll({}, Number(limit));
process.stdout.write(
  `${JSON.stringify({ seconds: raw.seconds, gzipSeconds: gzip.seconds, gzipEncoding: gzip.encoding, gzipTimedOut: gzip.timedOut, gzipMBpsSoFar: gzip.MBpsSoFar, bytes: op.fileSize })}\n`,
);
