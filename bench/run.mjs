#!/usr/bin/env node
/**
 * `npm run bench [-- --quick]`: the connectors against the physical floor, on the same data, in the
 * same run. Prints one table and writes bench/results.json with every figure, ratio and target.
 *
 * Options: --quick (small sizes, under a minute once the data is cached), --sizes=100MB,500MB,2GB,
 * --modes=grouped,ungrouped, --reps=N (timed runs of the source and the Node floor on files under
 * 200 MB, larger ones run once unless --reps is given; the fastest counts),
 * --skip=python,download,pipeline,concurrency, --parallel=N (data generators at once),
 * --timeout=SECONDS (longest single timed run; default 3600, quick 300), --out=FILE (instead of
 * bench/results.json), --image-env=off (run the connectors without the environment their Docker
 * images set); --skip also takes node (no Node floor) and sanity.
 * Exit code 0 whether targets pass or fail; non-zero only when the benchmark itself broke.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join, relative } from 'node:path';
import { BENCH, HAS_TIME, NODE, ROOT, RUN_DIR, round, runTimed, startReadyChild, stopChild, wasInterrupted } from './lib/common.mjs';
import { imageEnv } from './lib/dockerfile.mjs';
import { ORDERS_QUERY, SIZES, ensureDatasets } from './lib/datasets.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, fallback) => {
  const hit = argv.find((a) => a.startsWith(`--${name}=`));
  return hit ? hit.slice(name.length + 3) : fallback;
};
const quick = flag('quick');
const skip = new Set(option('skip', '').split(',').filter(Boolean));
const PROFILE = quick
  ? { sizes: ['5MB', '20MB'], pipelineSize: '20MB', concSize: '1MB', concJobMs: 8000, reps: 1 }
  : { sizes: ['100MB', '500MB', '2GB'], pipelineSize: '100MB', concSize: '1MB', concJobMs: 20_000, reps: 2 };
const sizes = option('sizes', PROFILE.sizes.join(',')).split(',');
const modes = option('modes', 'grouped,ungrouped').split(',');
const reps = Number(option('reps', PROFILE.reps));
/** No single timed run may take longer than this (a stuck or crawling run is reported, not waited out). */
const timeoutMs = Number(option('timeout', quick ? 300 : 3600)) * 1000;
const resultsFile = option('out', join(BENCH, 'results.json'));
for (const s of [...sizes, PROFILE.pipelineSize, PROFILE.concSize]) if (!SIZES[s]) throw new Error(`unknown size ${s} (one of ${Object.keys(SIZES).join(', ')})`);

const TARGETS = { sourceVsNodeFloor: 1.3, rssCapMb: 256, rssGrowth: 1.2, pipelineVsMax: 1.5, concurrency: 1.3 };
/**
 * Source runs whose peak RSS the memory-growth ratio compares, at its smallest and largest size: the
 * ratio is of their medians. One run's peak varies from run to run of the same code (glibc keeps, or
 * not, memory freed by V8's threads): by ±4% with the image's allocator setting, ±8% without it, as
 * much as the margin the target leaves.
 */
const MEMORY_RUNS = 3;
const SOURCE_BIN = join(ROOT, 'bin', 'source-shopify.js');
const SOURCE_UNGROUPED = join(BENCH, 'lib', 'source-ungrouped.mjs');
const DEST_BIN = join(ROOT, 'bin', 'destination-gcs.js');
/**
 * The connectors run with the environment their images set (Dockerfile ENV lines), as Airbyte runs
 * them: the source's allocator setting is part of what is measured. `--image-env=off` leaves it out.
 */
const withImageEnv = option('image-env', 'on') !== 'off';
const DOCKERFILE = join(ROOT, 'Dockerfile');
const SOURCE_ENV = withImageEnv ? imageEnv('source-shopify', DOCKERFILE) : {};
const DEST_ENV = withImageEnv ? imageEnv('destination-gcs', DOCKERFILE) : {};
const EMULATOR = join(ROOT, 'tools', 'gcs-emulator', 'launch.cjs');

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);
const benchStarted = Date.now();
const results = {
  startedAt: new Date().toISOString(),
  quick,
  machine: { node: process.version, cpus: (await import('node:os')).cpus().length, peakRss: HAS_TIME ? '/usr/bin/time %M' : '/proc VmHWM polling' },
  settings: { sizes, modes, reps, pipelineSize: PROFILE.pipelineSize, concSize: PROFILE.concSize, concJobMs: PROFILE.concJobMs, sourceEnv: SOURCE_ENV, destinationEnv: DEST_ENV },
  generation: [],
  datasets: {},
  runs: {},
  pipeline: {},
  concurrency: {},
  memory: {},
  targets: [],
  errors: [],
};

function writeJson(path, value) {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

function fail(where, run) {
  const tail = run.stderr.trim().split('\n').slice(-5).join(' | ');
  const message = `${where} exited with ${run.code}: ${tail}`;
  results.errors.push(message);
  log(message);
}

/** Fastest of `n` timed runs (largest peak RSS seen); undefined if one failed. */
async function best(n, make, where) {
  const runs = [];
  for (let i = 0; i < n; i++) {
    const run = await make();
    if (run.code !== 0) {
      fail(where, run);
      return { ...run, failed: true, ...(run.timedOut ? { secondsAtLeast: run.seconds } : {}) };
    }
    runs.push(run);
  }
  const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  const peaks = runs.map((r) => r.peakRssMb);
  return { ...fastest, peakRssMb: Math.max(...peaks), allSeconds: runs.map((r) => round(r.seconds, 3)), allPeakRssMb: peaks };
}

/** `best` over runs already taken (in turns with other measurements). */
function pick(runs, where) {
  return best(runs.length, async () => runs.shift(), where);
}

async function startSimulator(options) {
  const { child, info } = await startReadyChild([NODE, join(BENCH, 'lib', 'sim-child.mjs'), JSON.stringify(options)], { label: 'simulator' });
  return { ...info, stop: () => stopChild(child) };
}

function sourceConfig(sim, extra = {}) {
  return {
    shop: sim.shop,
    api_base_url: sim.url,
    credentials: { auth_method: 'api_password', api_password: sim.accessToken },
    start_date: '2020-01-01',
    bulk_window_in_days: 3650,
    job_checkpoint_interval: 10_000_000,
    ...extra,
  };
}

function file(name, value) {
  const path = join(RUN_DIR, name);
  writeJson(path, value);
  return path;
}

/** The configured catalog of an orders-only sync, from the source's own discover. */
async function ordersCatalog() {
  const sim = await startSimulator({ orders: 10, fast: true });
  try {
    const config = file('discover.config.json', sourceConfig(sim));
    const out = join(RUN_DIR, 'discover.out.jsonl');
    const run = await runTimed([NODE, SOURCE_BIN, 'discover', '--config', config], { stdoutFile: out, env: SOURCE_ENV });
    if (run.code !== 0) throw new Error(`discover failed: ${run.stderr}`);
    const catalog = readFileSync(out, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((m) => m.type === 'CATALOG')?.catalog;
    const stream = catalog?.streams.find((s) => s.name === 'orders');
    if (!stream) throw new Error('discover returned no orders stream');
    return { streams: [{ stream, sync_mode: 'full_refresh', destination_sync_mode: 'append', generation_id: 1, minimum_generation_id: 0, sync_id: 1 }] };
  } finally {
    await sim.stop();
  }
}

function prepared(ds) {
  return { path: ds.path, objects: ds.objects, roots: ds.roots };
}

/** One `read` of the source (the grouped query, or the ungrouped one), timed, with its image's environment. */
function runSource(mode, config, catalog, options = {}) {
  return runTimed([NODE, mode === 'grouped' ? SOURCE_BIN : SOURCE_UNGROUPED, 'read', '--config', config, '--catalog', catalog], { ...options, env: SOURCE_ENV });
}

/** `K='V' ...` assignments for a shell command line. */
function shellEnv(env) {
  return Object.entries(env)
    .map(([k, v]) => `${k}='${v.replaceAll("'", "'\\''")}' `)
    .join('');
}

/** Runs the source once with stdout captured and checks the records and the final state count. */
async function sanity(ds, config, catalog) {
  const out = join(RUN_DIR, `sanity-${ds.mode}.jsonl`);
  const run = await runSource(ds.mode, config, catalog, { stdoutFile: out });
  let records = 0;
  let stateCount;
  let errorTrace;
  for await (const line of createInterface({ input: createReadStream(out) })) {
    if (line.startsWith('{"type":"RECORD"')) {
      records++;
      continue;
    }
    const m = JSON.parse(line);
    if (m.type === 'STATE') stateCount = m.state?.sourceStats?.recordCount;
    if (m.type === 'TRACE' && m.trace.type === 'ERROR') errorTrace = m.trace.error.message;
  }
  rmSync(out, { force: true });
  const ok = run.code === 0 && records === ds.roots && stateCount === ds.roots;
  if (!ok) results.errors.push(`sanity ${ds.size}/${ds.mode}: exit ${run.code}, ${records} records and state count ${stateCount} for ${ds.roots} orders${errorTrace ? `: ${errorTrace}` : ''}`);
  return { ok, records, stateCount, expected: ds.roots };
}

/** The middle value (the mean of the two middle ones for an even count). */
function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** `memoryRuns`: how many source runs' peak RSS to keep in all (extra runs, after the timed ones, count for memory only). */
async function measureDataset(ds, catalog, doSanity, memoryRuns) {
  const sim = await startSimulator({ orders: 10, fast: true, preparedResult: prepared(ds) });
  const key = `${ds.size}/${ds.mode}`;
  try {
    const config = file(`source.${ds.mode}.config.json`, sourceConfig(sim));
    const row = { size: ds.size, mode: ds.mode, bytes: ds.bytes, lines: ds.objects, records: ds.roots, generateMBps: ds.generateMBps };
    if (doSanity) row.sanity = await sanity(ds, config, catalog);
    const node = [];
    const source = [];
    // Repeats are cheap on small files and what steadies their ratios; a large file runs once.
    const n = option('reps') || ds.bytes < 200e6 ? reps : 1;
    for (let i = 0; i < n; i++) {
      if (!skip.has('node')) node.push(await runTimed([NODE, join(BENCH, 'floors', 'node-floor.mjs'), ds.path], { timeoutMs }));
      source.push(await runSource(ds.mode, config, catalog, { timeoutMs }));
    }
    if (node.length) row.nodeFloor = await pick(node, `node floor ${key}`);
    row.source = await pick(source, `source ${key}`);
    if (!row.source.failed && row.source.allPeakRssMb.length < memoryRuns) {
      const extra = await best(memoryRuns - row.source.allPeakRssMb.length, () => runSource(ds.mode, config, catalog, { timeoutMs }), `source ${key} (memory)`);
      if (!extra.failed) row.sourcePeaks = [...row.source.allPeakRssMb, ...extra.allPeakRssMb];
    }
    if (!skip.has('python')) row.pythonFloor = await best(1, () => runTimed(['python3', join(BENCH, 'floors', 'python-floor.py'), ds.path], { timeoutMs }), `python floor ${key}`);
    if (!skip.has('download')) {
      const queryFile = join(RUN_DIR, 'orders.query.graphql');
      writeFileSync(queryFile, ORDERS_QUERY);
      const out = join(RUN_DIR, 'download.out.json');
      const run = await runTimed([NODE, join(BENCH, 'floors', 'download-floor.mjs'), sim.url, sim.accessToken, queryFile, String(Math.min(600, timeoutMs / 2000))], { stdoutFile: out, timeoutMs });
      if (run.code !== 0) fail(`download floor ${key}`, run);
      else {
        const got = JSON.parse(readFileSync(out, 'utf8'));
        row.downloadFloor = { ...run, seconds: got.seconds, processSeconds: run.seconds, peakRssMb: undefined };
        row.downloadGzip = { ...run, seconds: got.gzipSeconds, encoding: got.gzipEncoding, peakRssMb: undefined, ...(got.gzipTimedOut ? { timedOut: true, MBpsSoFar: got.gzipMBpsSoFar } : {}) };
      }
    }
    return row;
  } finally {
    await sim.stop();
  }
}

function summarizeRow(row) {
  const MB = row.bytes / 1e6;
  const t = (r) => (r?.timedOut ? { timedOut: true, secondsAtLeast: round(r.secondsAtLeast ?? r.seconds, 1), ...(r.peakRssMb ? { peakRssMb: round(r.peakRssMb, 1) } : {}), ...(r.MBpsSoFar ? { MBpsSoFar: round(r.MBpsSoFar, 2) } : {}) } : r && !r.failed ? { seconds: round(r.seconds, 3), ...(r.peakRssMb === undefined ? {} : { cpuSeconds: round(r.cpuSeconds, 3), peakRssMb: round(r.peakRssMb, 1) }), MBps: round(MB / r.seconds, 1), ...(r.allSeconds ? { allSeconds: r.allSeconds } : {}) } : null);
  const out = {
    size: row.size,
    mode: row.mode,
    MB: round(MB, 1),
    lines: row.lines,
    records: row.records,
    generatedAtMBps: round(row.generateMBps, 2),
    ...(row.sanity ? { sanity: row.sanity } : {}),
    source: t(row.source),
    nodeFloor: t(row.nodeFloor),
    pythonFloor: t(row.pythonFloor),
    downloadFloor: t(row.downloadFloor),
    downloadWithFetchDefaults: row.downloadGzip ? { ...t(row.downloadGzip), contentEncoding: row.downloadGzip.encoding } : null,
  };
  if (out.source && !out.source.timedOut) out.source.recordsPerSecond = Math.round(row.records / row.source.seconds);
  if (out.source && row.sourcePeaks) {
    // Every run counts for the cap; their median for the growth ratio.
    out.source.peakRssMb = round(Math.max(...row.sourcePeaks), 1);
    out.source.peakRssRunsMb = row.sourcePeaks.map((mb) => round(mb, 1));
    out.source.medianPeakRssMb = round(median(row.sourcePeaks), 1);
  }
  out.ratios = {
    sourceOverNodeFloor: out.source && out.nodeFloor?.seconds ? round((out.source.seconds ?? out.source.secondsAtLeast) / row.nodeFloor.seconds, 3) : null,
    ...(out.source?.timedOut ? { sourceOverNodeFloorIsLowerBound: true } : {}),
    sourceCpuOverNodeFloorCpu: out.source?.cpuSeconds && out.nodeFloor?.cpuSeconds ? round(row.source.cpuSeconds / row.nodeFloor.cpuSeconds, 3) : null,
    pythonFloorOverNodeFloor: out.pythonFloor && out.nodeFloor ? round(row.pythonFloor.seconds / row.nodeFloor.seconds, 3) : null,
    sourceOverPythonFloor: out.source && out.pythonFloor ? round(row.source.seconds / row.pythonFloor.seconds, 3) : null,
    sourceOverDownloadFloor: out.source && out.downloadFloor ? round(row.source.seconds / row.downloadFloor.seconds, 2) : null,
  };
  return out;
}

async function startEmulator() {
  const { child, info } = await startReadyChild([NODE, EMULATOR, '--host', '127.0.0.1', '--port', '0', '--exit-with-stdin'], { label: 'GCS emulator' });
  return { ...info, stop: () => stopChild(child) };
}

/** A `/usr/bin/time -f '%M %e %U %S'` record: peak RSS, wall and CPU seconds (undefined without one). */
function parseTime(f) {
  try {
    const [m, e, u, s] = readFileSync(f, 'utf8').trim().split('\n').pop().split(/\s+/).map(Number);
    return { peakRssMb: round(m / 1024, 1), seconds: e, cpuSeconds: round(u + s, 2) };
  } catch {
    return undefined;
  }
}

async function measurePipeline(ds, catalog, sourceAlone) {
  const emulator = await startEmulator();
  const sim = await startSimulator({ orders: 10, fast: true, preparedResult: prepared(ds) });
  const bucket = `bench-${Date.now().toString(36)}`;
  const out = {};
  try {
    const upload = join(RUN_DIR, 'upload.out.json');
    const up = await runTimed([NODE, join(BENCH, 'floors', 'upload-floor.mjs'), emulator.url, bucket, 'upload-floor/orders.jsonl', ds.path], { stdoutFile: upload });
    if (up.code !== 0) fail('upload floor', up);
    else out.uploadFloor = { seconds: round(JSON.parse(readFileSync(upload, 'utf8')).seconds, 3), MBps: round(ds.bytes / 1e6 / JSON.parse(readFileSync(upload, 'utf8')).seconds, 1), processSeconds: round(up.seconds, 3) };
    const config = file('pipeline.source.config.json', sourceConfig(sim));
    const catalogFile = file('pipeline.catalog.json', catalog);
    const alone = [];
    const formats = {
      jsonlGzip: { format_type: 'JSONL', compression: { compression_type: 'GZIP' } },
      parquet: { format_type: 'Parquet' },
    };
    for (const [name, format] of Object.entries(formats)) {
      const dest = file(`pipeline.${name}.config.json`, {
        gcs_bucket_name: bucket,
        gcs_bucket_path: `pipeline-${name}`,
        credential: { credential_type: 'APPLICATION_DEFAULT' },
        project_id: 'demo-bench',
        gcs_endpoint: emulator.url,
        format,
      });
      const srcTime = join(RUN_DIR, `pipeline.${name}.source.time`);
      const dstTime = join(RUN_DIR, `pipeline.${name}.dest.time`);
      const time = (f) => (HAS_TIME ? `/usr/bin/time -f '%M %e %U %S' -o '${f}' ` : '');
      const script = `set -o pipefail; ${shellEnv(SOURCE_ENV)}${time(srcTime)}'${NODE}' '${SOURCE_BIN}' read --config '${config}' --catalog '${catalogFile}' | ${shellEnv(DEST_ENV)}${time(dstTime)}'${NODE}' '${DEST_BIN}' write --config '${dest}' --catalog '${catalogFile}' > /dev/null`;
      // The gated format runs as often as the source alone and counts its fastest run, as the source's
      // figure does: one run against the best of several would charge the pipeline the noise. Each run
      // follows a run of the source alone against the same simulator, as the source alternates with
      // its Node floor above: this machine's speed drifts by 10-15% over minutes, and the throughput
      // table's run of the source was taken long before.
      const gated = name === 'jsonlGzip';
      const runs = [];
      for (let i = 0; i < (gated ? reps : 1); i++) {
        if (gated) alone.push(await runSource('grouped', config, catalogFile, { timeoutMs }));
        const attempt = await runTimed(['bash', '-c', script], { timeoutMs });
        if (attempt.code !== 0) {
          runs.length = 0;
          fail(`pipeline ${name}`, attempt);
          break;
        }
        runs.push({ ...attempt, source: parseTime(srcTime), destination: parseTime(dstTime) });
      }
      if (runs.length === 0) continue;
      const run = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
      out[name] = { seconds: round(run.seconds, 3), MBps: round(ds.bytes / 1e6 / run.seconds, 1), source: run.source, destination: run.destination, ...(runs.length > 1 ? { allSeconds: runs.map((r) => round(r.seconds, 3)) } : {}) };
    }
    const aloneRun = alone.length > 0 ? await pick(alone, 'source alone (pipeline)') : undefined;
    if (aloneRun && !aloneRun.failed) {
      out.sourceAloneSeconds = round(aloneRun.seconds, 3);
      out.sourceAloneRuns = aloneRun.allSeconds;
    }
    if (sourceAlone !== undefined) out.throughputTableSourceSeconds = round(sourceAlone, 3);
    // Without a run of the source alone there is nothing to compare with: no ratio (the target fails).
    const floor = out.sourceAloneSeconds === undefined ? undefined : Math.max(out.sourceAloneSeconds, out.uploadFloor?.seconds ?? 0);
    out.maxOfSourceAndUpload = round(floor, 3);
    for (const name of Object.keys(formats)) if (out[name]) out[name].ratio = floor ? round(out[name].seconds / floor, 3) : null;
    return out;
  } finally {
    await sim.stop();
    await emulator.stop();
  }
}

/** UTC midnight `days` before today, as YYYY-MM-DD. */
function daysAgo(days) {
  const d = new Date(Date.now() - days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

async function measureConcurrency(ds, catalog) {
  const jobMs = PROFILE.concJobMs;
  const timings = { createdMs: 1000, runningMs: jobMs - 1000, perObjectMs: 0, counterStep: 1000 };
  // Five one-day windows: four whole days before today and today up to now (minus the source's 60 s
  // margin). Just after midnight (UTC) today's window may or may not exist by the time the source
  // starts (five or six jobs), so the run waits until today's window is minutes long.
  const sinceMidnight = Date.now() % 86_400_000;
  if (sinceMidnight < 3 * 60_000) {
    log(`concurrency: waiting ${Math.ceil((3 * 60_000 - sinceMidnight) / 1000)} s for today's window (just after midnight UTC)`);
    await new Promise((resolve) => setTimeout(resolve, 3 * 60_000 - sinceMidnight));
  }
  const start = daysAgo(4);
  const cases = { single: { bulk_window_in_days: 3650 }, five: { bulk_window_in_days: 1 } };
  const out = { jobSimulatedSeconds: jobMs / 1000, dataset: `${ds.size}/${ds.mode}`, MBPerJob: round(ds.bytes / 1e6, 1) };
  for (const [name, extra] of Object.entries(cases)) {
    const sim = await startSimulator({ orders: 10, fast: false, timings, preparedResult: prepared(ds) });
    try {
      const config = file(`concurrency.${name}.config.json`, sourceConfig(sim, { start_date: start, ...extra }));
      const catalogFile = file('concurrency.catalog.json', catalog);
      const run = await runSource('grouped', config, catalogFile, { timeoutMs });
      if (run.code !== 0) {
        fail(`concurrency ${name}`, run);
        continue;
      }
      const jobs = (await (await fetch(`${sim.url}/__simulator/bulk`)).json()).operations.filter((o) => o.type === 'QUERY');
      const created = jobs.map((j) => Date.parse(j.createdAt));
      out[name] = {
        seconds: round(run.seconds, 3),
        cpuSeconds: round(run.cpuSeconds, 2),
        peakRssMb: round(run.peakRssMb, 1),
        jobs: jobs.length,
        completed: jobs.filter((j) => j.status === 'COMPLETED').length,
        submitSpreadSeconds: created.length ? (Math.max(...created) - Math.min(...created)) / 1000 : null,
      };
    } finally {
      await sim.stop();
    }
  }
  if (out.single && out.five) out.ratio = round(out.five.seconds / out.single.seconds, 3);
  return out;
}

function target(name, ratio, limit, detail) {
  const pass = ratio !== null && ratio !== undefined && Number.isFinite(ratio) && ratio <= limit;
  results.targets.push({ name, value: ratio, limit, pass, detail });
}

function pad(s, n, right = false) {
  const text = s === null || s === undefined ? '-' : String(s);
  return right ? text.padEnd(n) : text.padStart(n);
}

function printTable() {
  const lines = [];
  const rows = Object.values(results.datasets);
  lines.push('', `Source throughput and floors (${quick ? 'quick' : 'full'} run; wall seconds, fastest of ${reps} under 200 MB; RSS = peak resident set)`);
  const head = ['dataset', 'MB', 'records', 'source s', 'rec/s', 'MB/s', 'RSS MB', 'node s', 'MB/s', 'python s', 'MB/s', 'dl s', 'dl gz s', 'src/node', 'cpu src/node', 'py/node'];
  const widths = [18, 7, 8, 9, 8, 6, 7, 7, 6, 9, 6, 6, 8, 9, 13, 8];
  const shown = Object.entries(SOURCE_ENV).filter(([k]) => k !== 'AIRBYTE_ENTRYPOINT');
  lines.push(`The source runs ${withImageEnv ? `with its image's environment: ${shown.map(([k, v]) => `${k}=${v}`).join(' ')}` : 'without its image\'s environment (--image-env=off)'}`);
  lines.push(head.map((h, i) => pad(h, widths[i], i === 0)).join(' '));
  for (const r of rows) {
    lines.push([
      `${r.size}/${r.mode}`, r.MB, r.records, r.source?.timedOut ? `>${r.source.secondsAtLeast}` : r.source?.seconds, r.source?.recordsPerSecond, r.source?.MBps, r.source?.peakRssMb,
      r.nodeFloor?.seconds, r.nodeFloor?.MBps, r.pythonFloor?.seconds, r.pythonFloor?.MBps, r.downloadFloor?.seconds, r.downloadWithFetchDefaults?.timedOut ? `>${r.downloadWithFetchDefaults.secondsAtLeast}` : r.downloadWithFetchDefaults?.seconds,
      r.ratios.sourceOverNodeFloorIsLowerBound && r.ratios.sourceOverNodeFloor !== null ? `>${r.ratios.sourceOverNodeFloor}` : r.ratios.sourceOverNodeFloor, r.ratios.sourceCpuOverNodeFloorCpu, r.ratios.pythonFloorOverNodeFloor,
    ].map((v, i) => pad(v, widths[i], i === 0)).join(' '));
  }
  const p = results.pipeline;
  if (p && (p.jsonlGzip || p.parquet || p.uploadFloor)) {
    const aloneRuns = p.sourceAloneRuns ? ` (runs ${p.sourceAloneRuns.join(', ')} s, in turn with the pipeline's; ${p.throughputTableSourceSeconds ?? '-'} s in the table above)` : '';
    lines.push('', `Pipeline read | write into the GCS emulator (${p.dataset}): upload floor ${p.uploadFloor?.seconds ?? '-'} s (${p.uploadFloor?.MBps ?? '-'} MB/s), source alone ${p.sourceAloneSeconds ?? '-'} s${aloneRuns}`);
    for (const name of ['jsonlGzip', 'parquet']) {
      const x = p[name];
      if (!x) continue;
      lines.push(`  ${pad(name, 10, true)} ${pad(x.seconds, 8)} s  ${pad(x.MBps, 6)} MB/s  ratio to max(source, upload) ${x.ratio}${x.allSeconds ? `  (runs ${x.allSeconds.join(', ')} s)` : ''}  source RSS ${x.source?.peakRssMb ?? '-'} MB, destination RSS ${x.destination?.peakRssMb ?? '-'} MB (cpu ${x.destination?.cpuSeconds ?? '-'} s)`);
    }
  }
  const c = results.concurrency;
  if (c && (c.single || c.five)) {
    lines.push('', `Concurrency: jobs of ${c.jobSimulatedSeconds} s simulated time, ${c.MBPerJob} MB each (${c.dataset})`);
    lines.push(`  one job   ${pad(c.single?.seconds, 8)} s  (${c.single?.jobs ?? '-'} job)`);
    lines.push(`  five jobs ${pad(c.five?.seconds, 8)} s  (${c.five?.jobs ?? '-'} jobs, submitted within ${c.five?.submitSpreadSeconds ?? '-'} s)  ratio ${c.ratio ?? '-'}`);
  }
  const m = results.memory;
  if (m && Object.keys(m).length) {
    lines.push('', 'Memory growth (peak RSS of the source):');
    for (const [mode, x] of Object.entries(m)) {
      const floor = x.floorRatio ? `   (Node floor: ${x.floorSmallMb} → ${x.floorLargeMb} MB, ratio ${x.floorRatio})` : '';
      const runs = x.smallRunsMb ? `   (medians of runs: ${x.smallRunsMb.join(', ')} MB; ${x.largeRunsMb.join(', ')} MB)` : '';
      lines.push(`  ${pad(mode, 10, true)} ${x.small}: ${x.smallMb} MB   ${x.large}: ${x.largeMb} MB   ratio ${x.ratio}${runs}${floor}`);
    }
  }
  lines.push('', 'Targets:');
  for (const t of results.targets) lines.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${pad(t.name, 46, true)} ${pad(t.value, 8)} (limit ${t.limit})  ${t.detail ?? ''}`);
  if (results.errors.length) {
    lines.push('', 'Errors:');
    for (const e of results.errors) lines.push(`  ${e}`);
  }
  lines.push('', `Figures and ratios: ${relative(ROOT, resultsFile)} (${round((Date.now() - benchStarted) / 1000, 1)} s)`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  mkdirSync(RUN_DIR, { recursive: true });
  const pairs = sizes.flatMap((s) => modes.map((m) => [s, m]));
  const needed = [...pairs];
  if (!skip.has('concurrency') && !needed.some(([s, m]) => s === PROFILE.concSize && m === 'grouped')) needed.push([PROFILE.concSize, 'grouped']);
  if (!skip.has('pipeline') && !needed.some(([s, m]) => s === PROFILE.pipelineSize && m === 'grouped')) needed.push([PROFILE.pipelineSize, 'grouped']);
  const prep = await ensureDatasets(needed, { parallel: Number(option('parallel', 2)), log });
  results.generation = prep.generated.map((g) => ({ ...g, MB: round(g.bytes / 1e6, 1), seconds: round(g.seconds, 1), generateMBps: round(g.generateMBps, 2) }));
  log('discovering the orders stream');
  const catalog = await ordersCatalog();
  const catalogFile = file('orders.catalog.json', catalog);
  const smallest = sizes.reduce((a, b) => (SIZES[b] < SIZES[a] ? b : a));
  const largest = sizes.reduce((a, b) => (SIZES[b] > SIZES[a] ? b : a));
  const growthSizes = smallest === largest ? [] : [smallest, largest];
  const raw = {};
  for (const [size, mode] of pairs) {
    const ds = prep.datasets[`${size}/${mode}`];
    log(`source and floors on ${size}/${mode} (${(ds.bytes / 1e6).toFixed(1)} MB)`);
    const memoryRuns = growthSizes.includes(size) ? MEMORY_RUNS : 0;
    raw[`${size}/${mode}`] = await measureDataset(ds, catalogFile, size === smallest && !skip.has('sanity'), memoryRuns);
    results.datasets[`${size}/${mode}`] = summarizeRow(raw[`${size}/${mode}`]);
    writeJson(resultsFile, results);
  }
  if (!skip.has('pipeline')) {
    const ds = prep.datasets[`${PROFILE.pipelineSize}/grouped`];
    // The pipeline measures the source alone itself; the table's figure (when measured) is kept for reference.
    const measured = raw[`${PROFILE.pipelineSize}/grouped`]?.source;
    log(`pipeline on ${PROFILE.pipelineSize}/grouped`);
    results.pipeline = { dataset: `${PROFILE.pipelineSize}/grouped`, ...(await measurePipeline(ds, catalog, measured && !measured.failed ? measured.seconds : undefined)) };
  }
  if (!skip.has('concurrency')) {
    log(`concurrency: one job, then five (${PROFILE.concJobMs / 1000} s simulated each)`);
    results.concurrency = await measureConcurrency(prep.datasets[`${PROFILE.concSize}/grouped`], catalog);
  }
  const sorted = [...sizes].sort((a, b) => SIZES[a] - SIZES[b]);
  const [small, large] = [sorted[0], sorted[sorted.length - 1]];
  for (const mode of modes) {
    const peak = (size) => {
      const src = results.datasets[`${size}/${mode}`]?.source;
      return src?.medianPeakRssMb ?? src?.peakRssMb;
    };
    const runsOf = (size) => results.datasets[`${size}/${mode}`]?.source?.peakRssRunsMb;
    const [a, b] = [peak(small), peak(large)];
    // The Node floor's own growth on the same files, for context: V8's heap grows with a run's length.
    const fa = results.datasets[`${small}/${mode}`]?.nodeFloor?.peakRssMb;
    const fb = results.datasets[`${large}/${mode}`]?.nodeFloor?.peakRssMb;
    const floor = fa && fb ? { floorSmallMb: fa, floorLargeMb: fb, floorRatio: round(fb / fa, 3) } : {};
    const runs = runsOf(small) && runsOf(large) ? { smallRunsMb: runsOf(small), largeRunsMb: runsOf(large) } : {};
    if (small !== large && a && b) results.memory[mode] = { small, large, smallMb: a, largeMb: b, ratio: round(b / a, 3), ...runs, ...floor };
  }

  const rows = Object.values(results.datasets);
  const worst = (f) => rows.reduce((acc, r) => (f(r) !== null && (acc === null || f(r) > acc.v) ? { v: f(r), r } : acc), null);
  const ratioWorst = worst((r) => r.ratios.sourceOverNodeFloor);
  target('source time / Node floor (worst dataset)', ratioWorst?.v ?? null, TARGETS.sourceVsNodeFloor, ratioWorst ? `${ratioWorst.r.size}/${ratioWorst.r.mode}` : 'no data');
  for (const r of rows) target(`  source / Node floor ${r.size}/${r.mode}`, r.ratios.sourceOverNodeFloor, TARGETS.sourceVsNodeFloor);
  const rssWorst = worst((r) => r.source?.peakRssMb ?? null);
  target('source peak RSS MB (worst dataset)', rssWorst?.v ?? null, TARGETS.rssCapMb, rssWorst ? `${rssWorst.r.size}/${rssWorst.r.mode}` : 'no data');
  for (const [mode, m] of Object.entries(results.memory)) target(`peak RSS ${m.large} / ${m.small} (${mode})`, m.ratio, TARGETS.rssGrowth, `${m.largeMb} MB vs ${m.smallMb} MB`);
  if (!skip.has('pipeline')) target('pipeline JSONL+gzip / max(source, upload floor)', results.pipeline.jsonlGzip?.ratio ?? null, TARGETS.pipelineVsMax, results.pipeline.dataset);
  if (!skip.has('concurrency')) target('five concurrent jobs / one job', results.concurrency.ratio ?? null, TARGETS.concurrency, `${results.concurrency.jobSimulatedSeconds} s simulated jobs`);
  results.finishedAt = new Date().toISOString();
  results.seconds = round((Date.now() - benchStarted) / 1000, 1);
  writeJson(resultsFile, results);
  printTable();
}

main().then(
  () => process.exit(results.errors.length && !Object.keys(results.datasets).length ? 1 : 0),
  (err) => {
    if (wasInterrupted()) process.exit(130);
    log(`broke: ${err?.stack ?? err}`);
    try {
      writeJson(resultsFile, { ...results, broke: String(err?.message ?? err) });
    } catch {
      /* best effort */
    }
    process.exit(2);
  },
);
