/**
 * Shared plumbing of the benchmark: paths, child processes (each in its own process group, all killed
 * on exit or Ctrl-C), timed runs with peak RSS from /usr/bin/time (or polled /proc when it is absent).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BENCH = join(ROOT, 'bench');
export const CACHE = join(BENCH, '.cache');
export const RUN_DIR = join(CACHE, 'run');
export const NODE = process.execPath;
export const TIME_BIN = '/usr/bin/time';
export const HAS_TIME = existsSync(TIME_BIN);

mkdirSync(RUN_DIR, { recursive: true });

const children = new Set();

/** Spawns a child in its own process group and remembers it for cleanup. */
export function track(child) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function killGroup(child, signal = 'SIGTERM') {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* gone */
    }
  }
}

export function killAll(signal = 'SIGTERM') {
  for (const child of children) killGroup(child, signal);
}

let interrupted = false;
/** True once Ctrl-C (or SIGTERM/SIGHUP) arrived: failures after that are the interruption, not the bench. */
export const wasInterrupted = () => interrupted;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (interrupted) return;
    interrupted = true;
    process.stderr.write(`\nbench: ${sig}, stopping child processes\n`);
    killAll('SIGTERM');
    setTimeout(() => {
      killAll('SIGKILL');
      process.exit(130);
    }, 1500).unref();
  });
}
process.on('exit', () => killAll('SIGKILL'));

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function stopChild(child, timeoutMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(timer);
}

/** Peak RSS (KiB) of a pid by polling /proc (VmHWM, else the largest VmRSS seen). */
function pollPeak(pid, state) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /VmHWM:\s+(\d+)/.exec(status);
    const rss = /VmRSS:\s+(\d+)/.exec(status);
    const value = Number((hwm ?? rss)?.[1] ?? 0);
    if (value > state.peakKb) state.peakKb = value;
  } catch {
    /* exited */
  }
}

/**
 * Runs `args[0] args[1..]` with stdout to /dev/null (or a file), measuring wall time and peak RSS.
 * Resolves { seconds, peakRssMb, code, stderr }.
 */
export function runTimed(args, { stdoutFile = '/dev/null', stdin = 'ignore', env, cwd = ROOT, label = args.join(' '), timeoutMs } = {}) {
  const timeFile = join(RUN_DIR, `time-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const argv = HAS_TIME ? [TIME_BIN, '-f', '%M %e %U %S', '-o', timeFile, ...args] : args;
  const out = openSync(stdoutFile, 'w');
  const started = process.hrtime.bigint();
  const child = track(spawn(argv[0], argv.slice(1), { cwd, env: { ...process.env, ...env }, stdio: [stdin, out, 'pipe'], detached: true }));
  closeSync(out);
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  const peak = { peakKb: 0 };
  const poller = HAS_TIME ? undefined : setInterval(() => pollPeak(child.pid, peak), 25);
  let timedOut = false;
  const timer = timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        // Kill what /usr/bin/time runs, so it still reports the peak RSS; then the whole group.
        let inner = [];
        try {
          inner = readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
        } catch {
          /* gone */
        }
        for (const pid of HAS_TIME ? inner : []) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
        setTimeout(() => killGroup(child, 'SIGKILL'), HAS_TIME && inner.length ? 2000 : 0).unref();
      }, timeoutMs)
    : undefined;
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (timer) clearTimeout(timer);
      if (poller) clearInterval(poller);
      let peakKb = peak.peakKb;
      let cpuSeconds;
      if (HAS_TIME) {
        try {
          const text = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
          const [m, , u, s] = text.split(/\s+/).map(Number);
          peakKb = m ?? 0;
          cpuSeconds = (u ?? 0) + (s ?? 0);
        } catch {
          /* killed before time wrote */
        }
        rmSync(timeFile, { force: true });
      }
      if (timedOut) stderr += `\n(killed after the ${Math.round(timeoutMs / 1000)} s timeout)`;
      resolve({ label, seconds, peakRssMb: peakKb / 1024, cpuSeconds, code: timedOut ? 'timeout' : (code ?? (signal ? 128 : 1)), timedOut, stderr });
    });
  });
}

/** Starts a helper child that prints one JSON line when ready; resolves { child, info }. */
export function startReadyChild(args, { timeoutMs = 60_000, env, label = args.join(' ') } = {}) {
  const child = track(spawn(args[0], args.slice(1), { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'], detached: true }));
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
    if (stderr.length > 50_000) stderr = stderr.slice(-25_000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`${label} did not start within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      child.stdout.resume();
      resolve({ child, info: JSON.parse(line), stderrTail: () => stderr });
    });
  });
}

export const mb = (bytes) => bytes / 1e6;
export const round = (x, digits = 2) => (x === undefined || x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits);
