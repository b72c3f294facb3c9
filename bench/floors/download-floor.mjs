/**
 * Download floor: run one bulk query against the simulator (untimed), then fetch its result URL to
 * nowhere with Node's fetch, once as raw bytes (`accept-encoding: identity`, the floor) and once
 * with fetch's default `accept-encoding` (gzip on the wire, as the source fetches today).
 * `node download-floor.mjs SIM_URL TOKEN QUERY_FILE`; prints {"seconds", "gzipSeconds", "bytes"}.
 */
import { readFileSync } from 'node:fs';
import { runBulk } from '../lib/bulk-client.mjs';

const [simUrl, token, queryFile] = process.argv.slice(2);
const op = await runBulk(simUrl, token, readFileSync(queryFile, 'utf8'), true, 50);

async function fetchAll(headers) {
  const started = process.hrtime.bigint();
  const res = await fetch(op.url, { headers });
  if (!res.ok || !res.body) throw new Error(`download failed with HTTP ${res.status}`);
  let bytes = 0;
  for await (const chunk of res.body) bytes += chunk.byteLength;
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (bytes !== op.fileSize) throw new Error(`downloaded ${bytes} bytes, expected ${op.fileSize}`);
  return { seconds, encoding: res.headers.get('content-encoding') ?? 'identity' };
}

const raw = await fetchAll({ 'accept-encoding': 'identity' });
const gzip = await fetchAll({});
process.stdout.write(`${JSON.stringify({ seconds: raw.seconds, gzipSeconds: gzip.seconds, gzipEncoding: gzip.encoding, bytes: op.fileSize })}\n`);
