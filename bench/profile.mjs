#!/usr/bin/env node
/**
 * Where the source's time goes: runs `source-shopify read` on a cached dataset under `node --cpu-prof`
 * (and the Node floor on the same file, for comparison) and prints the top self-time functions and
 * the time per file/package. Needs `npm run build` first.
 *
 *   node bench/profile.mjs [--size=100MB] [--mode=grouped|ungrouped] [--top=25]
 *   node bench/profile.mjs --summarize=FILE.cpuprofile [--top=25]
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BENCH, CACHE, NODE, ROOT, RUN_DIR, runTimed, startReadyChild, stopChild } from './lib/common.mjs';
import { SIZES, ensureDatasets } from './lib/datasets.mjs';

const argv = process.argv.slice(2);
const option = (name, fallback) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const top = Number(option('top', 25));

/** Where a frame's code lives, for grouping: a package, a project file, a Node internal or a V8 pseudo-frame. */
function place(url) {
  if (!url) return '(V8 builtin / native)';
  if (url.startsWith('node:')) return url;
  const path = url.replace(/^file:\/\//, '');
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return `npm: ${pkg[1]}`;
  return relative(ROOT, path);
}

export function summarize(file, n = top) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    total += dt;
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
  }
  const fns = new Map();
  const files = new Map();
  for (const [id, us] of self) {
    const { callFrame: f } = byId.get(id);
    const name = f.functionName || '(anonymous)';
    const where = f.url ? `${place(f.url)}:${f.lineNumber + 1}` : place(f.url);
    const key = `${name} ${where}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const p = ['(idle)', '(program)', '(garbage collector)'].includes(name) ? name : place(f.url);
    files.set(p, (files.get(p) ?? 0) + us);
  }
  const busy = total - (files.get('(idle)') ?? 0);
  const rows = (map) => [...map].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ name: k, ms: Math.round(us / 1000), pct: Math.round((us / total) * 1000) / 10 }));
  return { file, totalMs: Math.round(total / 1000), busyMs: Math.round(busy / 1000), functions: rows(fns).slice(0, n), places: rows(files).slice(0, n) };
}

function print(title, s) {
  const lines = [`\n${title}: ${s.totalMs} ms sampled, ${s.busyMs} ms not idle (${relative(ROOT, s.file)})`, '  self ms    %  function'];
  for (const r of s.functions) lines.push(`  ${String(r.ms).padStart(7)} ${String(r.pct).padStart(5)}  ${r.name}`);
  lines.push('  self ms    %  by file / package');
  for (const r of s.places) lines.push(`  ${String(r.ms).padStart(7)} ${String(r.pct).padStart(5)}  ${r.name}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

function latest(dir) {
  const names = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).sort();
  return join(dir, names[names.length - 1]);
}

async function main() {
  const only = option('summarize');
  if (only) return print('profile', summarize(only));
  const size = option('size', '100MB');
  const mode = option('mode', 'grouped');
  if (!SIZES[size]) throw new Error(`unknown size ${size}`);
  const { datasets } = await ensureDatasets([[size, mode]], { log: (m) => process.stderr.write(`profile: ${m}\n`) });
  const ds = datasets[`${size}/${mode}`];
  const dir = join(CACHE, 'profiles', `${size}-${mode}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'source'), { recursive: true });
  mkdirSync(join(dir, 'floor'), { recursive: true });
  const { child, info: sim } = await startReadyChild([NODE, join(BENCH, 'lib', 'sim-child.mjs'), JSON.stringify({ orders: 10, fast: true, preparedResult: { path: ds.path, objects: ds.objects, roots: ds.roots } })], { label: 'simulator' });
  try {
    const config = join(RUN_DIR, 'profile.config.json');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(config, JSON.stringify({ shop: sim.shop, api_base_url: sim.url, credentials: { auth_method: 'api_password', api_password: sim.accessToken }, start_date: '2020-01-01', bulk_window_in_days: 3650, job_checkpoint_interval: 10_000_000 }));
    const catalog = join(RUN_DIR, 'profile.catalog.json');
    writeFileSync(catalog, JSON.stringify({ streams: [{ stream: { name: 'orders', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' }] }));
    const entry = mode === 'grouped' ? join(ROOT, 'bin', 'source-shopify.js') : join(BENCH, 'lib', 'source-ungrouped.mjs');
    const src = await runTimed([NODE, '--cpu-prof', `--cpu-prof-dir=${join(dir, 'source')}`, entry, 'read', '--config', config, '--catalog', catalog]);
    if (src.code !== 0) throw new Error(`source failed: ${src.stderr}`);
    const floor = await runTimed([NODE, '--cpu-prof', `--cpu-prof-dir=${join(dir, 'floor')}`, join(BENCH, 'floors', 'node-floor.mjs'), ds.path]);
    process.stdout.write(`${size}/${mode} (${(ds.bytes / 1e6).toFixed(1)} MB): source ${src.seconds.toFixed(2)} s wall, ${src.cpuSeconds?.toFixed(2)} s cpu; Node floor ${floor.seconds.toFixed(2)} s wall, ${floor.cpuSeconds?.toFixed(2)} s cpu (both under the profiler)\n`);
    print('source-shopify read', summarize(latest(join(dir, 'source'))));
    print('Node floor', summarize(latest(join(dir, 'floor'))));
  } finally {
    await stopChild(child);
  }
}

main().catch((err) => {
  process.stderr.write(`profile: ${err?.stack ?? err}\n`);
  process.exit(1);
});
