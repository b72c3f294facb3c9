#!/usr/bin/env node
/**
 * Long-run soak: `source-shopify read | destination-gcs write` (a real OS pipe between the two
 * processes) from a large simulated shop into the GCS emulator, with both processes' RSS sampled
 * every second from /proc/<pid>/status. Passes when
 *   - every record of the store is in GCS (counted per stream from the objects written), and
 *   - each process stays under its RSS bound for the whole run, and
 *   - late-run RSS does not trend above early-run RSS (median of the last quarter of samples at most
 *     max(50 MB, 25 %) above the median of the samples between 10 % and 35 % of the run).
 * Bounds: source 400 MB (the bulk reader streams and spills; its benchmark target is 256 MB peak, plus
 * headroom for GC slack on large records), destination 600 MB (up to 8 open parts spooled to disk and
 * 4 concurrent resumable uploads with their client buffers, plus the Storage client).
 *
 *   npm run soak                              # about 2.1 million records
 *   npm run soak -- --orders 50000            # a short run
 *   npm run soak -- --source-mb 400 --destination-mb 600
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { Storage } from '@google-cloud/storage';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUCKET = 'soak-bucket';
const PREFIX = 'soak';
/** Stream name → the simulator's store type. Records per order: ~1 order + 0.25 customer + 0.1 product + ~0.25 variants + ~0.25 items. */
const STREAMS = { orders: 'orders', customers: 'customers', products: 'products', product_variants: 'productVariants', inventory_items: 'inventoryItems' };

function parseArgs(argv) {
  const args = { orders: 1_150_000, sourceMb: 400, destinationMb: 600, windowDays: 365, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--orders') args.orders = Number(argv[++i]);
    else if (a === '--source-mb') args.sourceMb = Number(argv[++i]);
    else if (a === '--destination-mb') args.destinationMb = Number(argv[++i]);
    else if (a === '--window-days') args.windowDays = Number(argv[++i]);
    else if (a === '--keep') args.keep = true;
    else throw new Error(`unknown option ${a} (options: --orders N --source-mb N --destination-mb N --window-days N --keep)`);
  }
  return args;
}

async function startServer(name, args, dir, ready) {
  const log = join(dir, `${name}.log`);
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')] });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      const url = ready(line);
      if (url) return { url, child, stop: () => child.exitCode === null && child.kill('SIGTERM') };
    }
    if (child.exitCode !== null) throw new Error(`${name} exited: ${readFileSync(log, 'utf8').slice(-2000)}`);
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start`);
}

function rssMb(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)];
};

async function countInGcs(emulatorUrl) {
  const storage = new Storage({ apiEndpoint: emulatorUrl, projectId: 'soak', retryOptions: { autoRetry: false } });
  const [files] = await storage.bucket(BUCKET).getFiles({ prefix: `${PREFIX}/` });
  const counts = {};
  for (const f of files) {
    const stream = f.name.slice(PREFIX.length + 1).split('/')[0];
    let lines = 0;
    const body = f.createReadStream();
    const text = f.name.endsWith('.gz') ? body.pipe(createGunzip()) : body;
    for await (const chunk of text) for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    counts[stream] = (counts[stream] ?? 0) + lines;
  }
  return { counts, objects: files.length };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const servers = [];
  process.on('SIGINT', () => {
    for (const s of servers) s.stop();
    process.exit(130);
  });
  try {
    process.stdout.write(`soak: starting the simulator (${args.orders} orders, fast jobs) and the GCS emulator\n`);
    const [sim, emu] = await Promise.all([
      startServer('simulator', [join(ROOT, 'bin/shopify-simulator.js'), '--port', '0', '--fast', '--orders', String(args.orders)], dir, (l) => /^listening on (\S+)/.exec(l)?.[1]),
      startServer('emulator', [join(ROOT, 'tools/gcs-emulator/launch.cjs'), '--port', '0'], dir, (l) => {
        try {
          return l.startsWith('{') ? JSON.parse(l).url : undefined;
        } catch {
          return undefined;
        }
      }),
    ]);
    servers.push(sim, emu);
    const expected = {};
    for (const [stream, type] of Object.entries(STREAMS)) {
      const res = await fetch(`${sim.url}/__simulator/store/${type}?limit=0`);
      expected[stream] = (await res.json()).count;
    }
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    process.stdout.write(`soak: ${total} records expected (${Object.entries(expected).map(([k, v]) => `${k} ${v}`).join(', ')})\n`);

    const files = { source: join(dir, 'source.json'), destination: join(dir, 'destination.json'), catalog: join(dir, 'catalog.json') };
    writeFileSync(files.source, JSON.stringify({
      shop: 'simulator-shop', credentials: { auth_method: 'api_password', api_password: 'simulator-token' },
      api_base_url: sim.url, start_date: '2020-01-01', bulk_window_in_days: args.windowDays,
    }));
    writeFileSync(files.destination, JSON.stringify({
      gcs_bucket_name: BUCKET, gcs_bucket_path: PREFIX, credential: { credential_type: 'APPLICATION_DEFAULT' },
      format: { format_type: 'JSONL' }, gcs_endpoint: emu.url, max_object_size_mb: 100, state_flush_interval_seconds: 30,
    }));
    const discover = spawn(process.execPath, [join(ROOT, 'bin/source-shopify.js'), 'discover', '--config', files.source], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    for await (const c of discover.stdout) out += c;
    const catalogMsg = out.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((m) => m.type === 'CATALOG');
    if (!catalogMsg) throw new Error(`discover printed no catalog: ${out.slice(0, 500)}`);
    writeFileSync(files.catalog, JSON.stringify({
      streams: catalogMsg.catalog.streams.filter((s) => s.name in STREAMS).map((stream) => ({
        stream, sync_mode: 'incremental', cursor_field: stream.default_cursor_field, destination_sync_mode: 'append',
        generation_id: 1, minimum_generation_id: 0, sync_id: 1,
      })),
    }));

    const started = Date.now();
    const source = spawn(process.execPath, [join(ROOT, 'bin/source-shopify.js'), 'read', '--config', files.source, '--catalog', files.catalog], {
      cwd: ROOT, stdio: ['ignore', 'pipe', openSync(join(dir, 'source.stderr'), 'w')],
    });
    // The destination reads the source's stdout pipe itself: this process never touches the data.
    const dest = spawn(process.execPath, [join(ROOT, 'bin/destination-gcs.js'), 'write', '--config', files.destination, '--catalog', files.catalog], {
      cwd: ROOT, stdio: [source.stdout, 'pipe', openSync(join(dir, 'destination.stderr'), 'w')],
    });
    for (const child of [source, dest]) servers.push({ stop: () => child.exitCode === null && child.kill('SIGKILL') });
    const samples = { source: [], destination: [] };
    const timer = setInterval(() => {
      const s = rssMb(source.pid);
      const d = rssMb(dest.pid);
      if (s !== undefined) samples.source.push(s);
      if (d !== undefined) samples.destination.push(d);
      const secs = Math.round((Date.now() - started) / 1000);
      if (secs % 30 === 0) process.stdout.write(`soak: ${secs} s, source ${s?.toFixed(0) ?? '-'} MB, destination ${d?.toFixed(0) ?? '-'} MB, ${echoed} records committed\n`);
    }, 1000);
    let echoed = 0;
    const errors = [];
    createInterface({ input: dest.stdout }).on('line', (line) => {
      const m = JSON.parse(line);
      if (m.type === 'STATE') echoed += m.state.destinationStats?.recordCount ?? 0;
      if (m.type === 'TRACE' && m.trace.type === 'ERROR') errors.push(m.trace.error.message);
    });
    const exit = (child) => new Promise((resolve) => child.on('exit', (code) => resolve(code)));
    const [sourceExit, destExit] = await Promise.all([exit(source), exit(dest)]);
    clearInterval(timer);
    const seconds = (Date.now() - started) / 1000;

    const { counts, objects } = await countInGcs(emu.url);
    const written = Object.values(counts).reduce((a, b) => a + b, 0);
    const failures = [...errors];
    if (sourceExit !== 0) failures.push(`source exited ${sourceExit} (stderr in ${dir})`);
    if (destExit !== 0) failures.push(`destination exited ${destExit}`);
    for (const [stream, n] of Object.entries(expected)) if (counts[stream] !== n) failures.push(`${stream}: ${counts[stream] ?? 0} records in GCS, store has ${n}`);
    const bounds = { source: args.sourceMb, destination: args.destinationMb };
    const lines = [];
    for (const [proc, xs] of Object.entries(samples)) {
      const max = Math.max(...xs);
      const early = median(xs.slice(Math.floor(xs.length * 0.1), Math.max(Math.floor(xs.length * 0.35), Math.floor(xs.length * 0.1) + 1)));
      const late = median(xs.slice(Math.floor(xs.length * 0.75)));
      const margin = Math.max(50, early * 0.25);
      lines.push(`  ${proc.padEnd(12)} RSS MB min ${Math.min(...xs).toFixed(0)}, median ${median(xs).toFixed(0)}, max ${max.toFixed(0)} (bound ${bounds[proc]}); early median ${early.toFixed(0)}, late median ${late.toFixed(0)} (allowed +${margin.toFixed(0)}); ${xs.length} samples`);
      if (xs.length < 5) failures.push(`${proc}: only ${xs.length} RSS samples`);
      if (max > bounds[proc]) failures.push(`${proc}: RSS reached ${max.toFixed(0)} MB, above the ${bounds[proc]} MB bound`);
      if (late > early + margin) failures.push(`${proc}: RSS grew from a median of ${early.toFixed(0)} MB early to ${late.toFixed(0)} MB late`);
    }
    process.stdout.write(
      [
        `soak: ${written} records in ${objects} object(s) (${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')})`,
        `  ${seconds.toFixed(1)} s, ${Math.round(written / seconds)} records/s, ${echoed} records confirmed by echoed STATE`,
        ...lines,
        failures.length === 0 ? 'soak: PASS' : `soak: FAIL\n  ${failures.join('\n  ')}`,
        '',
      ].join('\n'),
    );
    process.exitCode = failures.length === 0 ? 0 : 1;
  } finally {
    for (const s of servers) s.stop();
    if (!args.keep) rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`soak: ${err.stack ?? err}\n`);
  process.exit(2);
});
