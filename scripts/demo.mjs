#!/usr/bin/env node
/**
 * The one-command demo: a simulated Shopify store and a local GCS emulator, then
 * `source-shopify read | destination-gcs write` for every stream the source discovers, and a summary.
 *
 *   npm run demo                      # run, summarise, stop both servers
 *   npm run demo -- --keep            # leave the simulator and the emulator running to explore
 *   npm run demo -- --orders 500 --format parquet
 *   npm run demo -- --summary-json summary.json   # also write the summary as JSON
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { Storage } from '@google-cloud/storage';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BUCKET = 'demo-bucket';
const BUCKET_PATH = 'shopify';

function parseArgs(argv) {
  const args = { keep: false, orders: 200, format: 'jsonl', summaryJson: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--keep') args.keep = true;
    else if (a === '--orders') args.orders = Number(argv[++i]);
    else if (a === '--format') args.format = String(argv[++i]).toLowerCase();
    else if (a === '--summary-json') args.summaryJson = argv[++i];
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: npm run demo -- [--keep] [--orders N] [--format jsonl|csv|parquet] [--summary-json FILE]\n');
      process.exit(0);
    } else throw new Error(`unknown option ${a}`);
  }
  if (!Number.isInteger(args.orders) || args.orders < 1) throw new Error('--orders must be a positive integer');
  if (!['jsonl', 'csv', 'parquet'].includes(args.format)) throw new Error('--format must be jsonl, csv or parquet');
  return args;
}

const formats = {
  jsonl: { format_type: 'JSONL' },
  csv: { format_type: 'CSV', flattening: 'Root level flattening' },
  parquet: { format_type: 'Parquet', compression_codec: 'SNAPPY' },
};

/** Starts a long-running server with its output in a log file; resolves with the first line matching `ready`. */
async function startServer(name, args, logDir, ready, detached) {
  const log = join(logDir, `${name}.log`);
  const fd = openSync(log, 'w');
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', fd, fd], detached });
  if (detached) child.unref();
  let exited = false;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const text = readFileSync(log, 'utf8');
    for (const line of text.split('\n')) {
      const value = ready(line);
      if (value) return { ...value, pid: child.pid, log, stop: () => { try { process.kill(child.pid, 'SIGTERM'); } catch {} } };
    }
    if (exited) throw new Error(`${name} exited before it was ready:\n${text}`);
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} was not ready within 60 s (log: ${log})`);
}

function runJson(bin, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', `${bin}.js`), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => {
      const messages = out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      if (code !== 0) reject(new Error(`${bin} ${args[0]} failed (exit ${code}): ${JSON.stringify(messages.find((m) => m.type === 'TRACE')?.trace?.error?.message ?? err.slice(-500))}`));
      else resolve(messages);
    });
  });
}

/** source read | destination write, counting what flows through the pipe. */
function runPipe(files) {
  const source = spawn(process.execPath, [join(ROOT, 'bin/source-shopify.js'), 'read', '--config', files.source, '--catalog', files.catalog], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const dest = spawn(process.execPath, [join(ROOT, 'bin/destination-gcs.js'), 'write', '--config', files.destination, '--catalog', files.catalog], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  const stats = { records: new Map(), sourceStates: 0, echoedStates: 0, errors: [], sourceStderr: '', destStderr: '' };
  source.stderr.on('data', (c) => (stats.sourceStderr = (stats.sourceStderr + c).slice(-4000)));
  dest.stderr.on('data', (c) => (stats.destStderr = (stats.destStderr + c).slice(-4000)));
  createInterface({ input: source.stdout }).on('line', (line) => {
    if (!dest.stdin.write(`${line}\n`)) source.stdout.pause();
    let m;
    try { m = JSON.parse(line); } catch { return; }
    if (m.type === 'RECORD') stats.records.set(m.record.stream, (stats.records.get(m.record.stream) ?? 0) + 1);
    else if (m.type === 'STATE') stats.sourceStates++;
    else if (m.type === 'TRACE' && m.trace.type === 'ERROR') stats.errors.push(`source: ${m.trace.error.message}`);
  });
  dest.stdin.on('drain', () => source.stdout.resume());
  dest.stdin.on('error', () => {});
  createInterface({ input: dest.stdout }).on('line', (line) => {
    let m;
    try { m = JSON.parse(line); } catch { return; }
    if (m.type === 'STATE') stats.echoedStates++;
    else if (m.type === 'TRACE' && m.trace.type === 'ERROR') stats.errors.push(`destination: ${m.trace.error.message}`);
  });
  const exit = (child) => new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return Promise.all([exit(source).then((code) => { dest.stdin.end(); return code; }), exit(dest)]).then(([sourceExit, destExit]) => ({ ...stats, sourceExit, destExit }));
}

function countJsonlRecords(name, buf) {
  return (name.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8').split('\n').filter(Boolean).length;
}

async function summarise(emulatorUrl, format) {
  const storage = new Storage({ apiEndpoint: emulatorUrl, projectId: 'demo', retryOptions: { autoRetry: false } });
  const [files] = await storage.bucket(BUCKET).getFiles({ prefix: `${BUCKET_PATH}/` });
  const streams = new Map();
  const { parquetMetadata } = format === 'parquet' ? await import('hyparquet') : {};
  const { parse } = format === 'csv' ? await import('csv-parse/sync') : {};
  for (const f of files) {
    const stream = f.name.slice(BUCKET_PATH.length + 1).split('/')[0];
    const [buf] = await f.download();
    let records;
    if (parquetMetadata) records = Number(parquetMetadata(new Uint8Array(buf).buffer).num_rows);
    else if (parse) records = parse(f.name.endsWith('.gz') ? gunzipSync(buf) : buf, { columns: true }).length;
    else records = countJsonlRecords(f.name, buf);
    const s = streams.get(stream) ?? { objects: 0, bytes: 0, records: 0, names: [] };
    s.objects++;
    s.bytes += Number(f.metadata.size);
    s.records += records;
    s.names.push(f.name);
    streams.set(stream, s);
  }
  return streams;
}

const human = (n) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} B`);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'shopify-gcs-demo-'));
  const logDir = join(work, 'logs');
  mkdirSync(logDir);
  const servers = [];
  const stopAll = () => { for (const s of servers) s.stop(); };
  process.on('SIGINT', () => { stopAll(); process.exit(130); });
  try {
    process.stdout.write(`Starting the Shopify simulator (${args.orders} orders) and the GCS emulator...\n`);
    const [sim, emu] = await Promise.all([
      startServer('shopify-simulator', [join(ROOT, 'bin/shopify-simulator.js'), '--port', '0', '--fast', '--orders', String(args.orders)], logDir, (l) => {
        const m = /^listening on (\S+)/.exec(l);
        return m ? { url: m[1] } : undefined;
      }, args.keep),
      startServer('gcs-emulator', [join(ROOT, 'tools/gcs-emulator/launch.cjs'), '--port', '0'], logDir, (l) => {
        try { return l.startsWith('{') ? { url: JSON.parse(l).url } : undefined; } catch { return undefined; }
      }, args.keep),
    ]);
    servers.push(sim, emu);
    process.stdout.write(`  simulator  ${sim.url}\n  emulator   ${emu.url}\n`);

    const files = {
      source: join(work, 'source.json'),
      destination: join(work, 'destination.json'),
      catalog: join(work, 'catalog.json'),
    };
    writeFileSync(files.source, JSON.stringify({
      shop: 'simulator-shop',
      credentials: { auth_method: 'api_password', api_password: 'simulator-token' },
      api_base_url: sim.url,
      start_date: '2021-01-01',
      bulk_window_in_days: 365, // a small shop: a few large windows keep the demo quick
    }));
    writeFileSync(files.destination, JSON.stringify({
      gcs_bucket_name: BUCKET,
      gcs_bucket_path: BUCKET_PATH,
      credential: { credential_type: 'APPLICATION_DEFAULT' },
      format: formats[args.format],
      gcs_endpoint: emu.url,
    }));
    const discovered = (await runJson('source-shopify', ['discover', '--config', files.source])).find((m) => m.type === 'CATALOG');
    if (!discovered) throw new Error('source-shopify discover printed no CATALOG');
    const catalog = {
      streams: discovered.catalog.streams.map((stream) => {
        const incremental = stream.supported_sync_modes.includes('incremental');
        return {
          stream,
          sync_mode: incremental ? 'incremental' : 'full_refresh',
          ...(incremental && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
          destination_sync_mode: 'append',
          ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
          generation_id: 1,
          minimum_generation_id: 0,
          sync_id: 1,
        };
      }),
    };
    writeFileSync(files.catalog, JSON.stringify(catalog));
    process.stdout.write(`Syncing ${catalog.streams.length} streams: source-shopify read | destination-gcs write (${args.format})...\n`);

    const syncStarted = Date.now();
    const run = await runPipe(files);
    const seconds = (Date.now() - syncStarted) / 1000;
    if (run.sourceExit !== 0 || run.destExit !== 0) {
      throw new Error(`sync failed (source exit ${run.sourceExit}, destination exit ${run.destExit})\n${run.errors.join('\n')}\n--- source stderr ---\n${run.sourceStderr}\n--- destination stderr ---\n${run.destStderr}`);
    }

    const objects = await summarise(emu.url, args.format);
    const rows = catalog.streams.map(({ stream }) => {
      const o = objects.get(stream.name) ?? { objects: 0, bytes: 0, records: 0, names: [] };
      return { stream: stream.name, recordsSent: run.records.get(stream.name) ?? 0, recordsInGcs: o.records, objects: o.objects, bytes: o.bytes, names: o.names };
    });
    const total = rows.reduce((t, r) => ({ sent: t.sent + r.recordsSent, gcs: t.gcs + r.recordsInGcs, objects: t.objects + r.objects, bytes: t.bytes + r.bytes }), { sent: 0, gcs: 0, objects: 0, bytes: 0 });
    const width = Math.max(6, ...rows.map((r) => r.stream.length));
    const line = (a, b, c, d, e) => `  ${a.padEnd(width)}  ${b.padStart(9)}  ${c.padStart(9)}  ${d.padStart(7)}  ${e.padStart(10)}\n`;
    process.stdout.write(`\nSummary (gs://${BUCKET}/${BUCKET_PATH}/ on ${emu.url})\n`);
    process.stdout.write(line('stream', 'records', 'in GCS', 'objects', 'bytes'));
    for (const r of rows) process.stdout.write(line(r.stream, String(r.recordsSent), String(r.recordsInGcs), String(r.objects), human(r.bytes)));
    process.stdout.write(line('total', String(total.sent), String(total.gcs), String(total.objects), human(total.bytes)));
    process.stdout.write(`\n  ${run.sourceStates} states from the source, ${run.echoedStates} echoed by the destination after commit; sync took ${seconds.toFixed(1)} s (${((Date.now() - started) / 1000).toFixed(1)} s in all)\n`);
    const match = rows.every((r) => r.recordsSent === r.recordsInGcs);
    process.stdout.write(match ? '  Every record the source sent is in GCS.\n' : '  MISMATCH between records sent and records in GCS.\n');

    if (args.summaryJson) {
      writeFileSync(args.summaryJson, JSON.stringify({ emulatorUrl: emu.url, simulatorUrl: sim.url, bucket: BUCKET, prefix: `${BUCKET_PATH}/`, seconds, streams: rows, total, pids: { simulator: sim.pid, emulator: emu.pid } }, null, 2));
    }
    process.stdout.write(`\nList the objects:\n  curl -s '${emu.url}/storage/v1/b/${BUCKET}/o?prefix=${BUCKET_PATH}/' | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>JSON.parse(s).items.forEach(o=>console.log(o.size.padStart(10),o.name)))'\n`);
    process.stdout.write(`  STORAGE_EMULATOR_HOST=${emu.url} node -e "new (require('@google-cloud/storage').Storage)({projectId:'demo'}).bucket('${BUCKET}').getFiles().then(([f])=>f.forEach(x=>console.log(x.name)))"\n`);
    if (args.keep) {
      process.stdout.write(`\nBoth servers keep running (--keep):\n  simulator pid ${sim.pid}  ${sim.url}  (token simulator-token)\n  emulator  pid ${emu.pid}  ${emu.url}\n  configs in ${relative(process.cwd(), work) || work}\n  stop them with: kill ${sim.pid} ${emu.pid}\n`);
    } else {
      stopAll();
      rmSync(work, { recursive: true, force: true });
    }
    if (!match) process.exitCode = 1;
  } catch (err) {
    stopAll();
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n(logs in ${logDir})\n`);
    process.exitCode = 1;
  }
}

await main();
