/**
 * Prepares one cached bulk result with the simulator's own generator, through a real bulk operation:
 * `node generate.mjs '{"orders":N,"seed":1,"grouped":true,"query":"...","out":"file.jsonl"}'`.
 * The result is downloaded to `out` (written as `out.partial`, renamed when whole) with `out.meta.json`
 * beside it, and a JSON summary is printed (bytes, lines, roots, seconds, MB/s).
 */
import { createWriteStream, renameSync, writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { startSimulator } from '../../dist/simulator/index.js';
import { runBulk } from './bulk-client.mjs';

const spec = JSON.parse(process.argv[2]);
const sim = await startSimulator({ orders: spec.orders, seed: spec.seed, fast: true });
// Stopped mid-way: remove the simulator's result files (gigabytes at the large sizes) before exiting.
for (const sig of ['SIGTERM', 'SIGINT']) process.once(sig, () => void sim.close().finally(() => process.exit(1)));
try {
  const started = Date.now();
  const op = await runBulk(sim.url, sim.accessToken, spec.query, spec.grouped, 100);
  const generatedSeconds = (Date.now() - started) / 1000;
  // Raw bytes: with fetch's default accept-encoding the simulator gzips on the fly, and a multi-GB
  // gzip download through fetch slows to a crawl.
  const res = await fetch(op.url, { headers: { 'accept-encoding': 'identity' } });
  if (!res.ok || !res.body) throw new Error(`download of the result failed with HTTP ${res.status}`);
  const partial = `${spec.out}.partial`;
  await pipeline(Readable.fromWeb(res.body), createWriteStream(partial, { highWaterMark: 1 << 20 }));
  const totalSeconds = (Date.now() - started) / 1000;
  const meta = {
    orders: spec.orders,
    seed: spec.seed,
    grouped: spec.grouped,
    bytes: op.fileSize,
    objects: op.objectCount,
    roots: op.rootObjectCount,
    generatedSeconds,
    totalSeconds,
    generateMBps: op.fileSize / 1e6 / generatedSeconds,
    key: spec.key,
    createdAt: new Date().toISOString(),
  };
  renameSync(partial, spec.out);
  writeFileSync(`${spec.out}.meta.json`, `${JSON.stringify(meta, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(meta)}\n`);
} finally {
  await sim.close();
}
