/**
 * Runs a connector's real CLI (the built bin) as a child process, like Airbyte or a shell pipe would,
 * and collects what it printed. stdout must contain only protocol messages: a non-JSON line fails.
 * Every byte a connector prints is also appended to the run's capture directory (global setup sets
 * it) and checked for canary secrets (test/support/canaries.ts): a leak fails the call.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/runtime/files.js';
import type { AirbyteMessage } from '../../src/protocol/messages.js';
import { CAPTURE_DIR_ENV, createCanaryScanner, describeFindings } from './canaries.js';

export type Bin = 'source-shopify' | 'destination-gcs' | 'shopify-simulator';

export interface CliResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  messages: AirbyteMessage[];
}

export interface RunOptions {
  stdin?: string | Buffer | NodeJS.ReadableStream;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Sees the child process right after it started (e.g. to sample its memory). */
  onSpawn?: (child: ChildProcess) => void;
}

export function binPath(bin: Bin): string {
  return join(PACKAGE_ROOT, 'bin', `${bin}.js`);
}

/** Writes JSON values to files in a fresh temp dir and returns their paths (for --config/--catalog/--state). */
export function writeJsonFiles<T extends Record<string, unknown>>(files: T): { [K in keyof T]: string } {
  const dir = mkdtempSync(join(tmpdir(), 'connector-test-'));
  const out = {} as { [K in keyof T]: string };
  for (const [name, value] of Object.entries(files)) {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
    out[name as keyof T] = path;
  }
  return out;
}

export function parseMessages(stdout: string): AirbyteMessage[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as AirbyteMessage;
      } catch {
        throw new Error(`stdout line ${i + 1} is not a JSON message: ${line.slice(0, 200)}`);
      }
    });
}

let captureSeq = 0;

/**
 * Appends everything `child` writes to stdout and stderr to the run's capture directory (no-op when
 * the run has none), where the end-of-run scan looks for canary secrets. For helpers that spawn a
 * connector themselves; runCli does it for its own children. Spawn the child with
 * `env: { ...process.env, ...CAPTURED_BY_PARENT_ENV }` so it is not captured twice.
 */
export function captureChildOutput(child: Pick<ChildProcess, 'stdout' | 'stderr' | 'pid'>, label: string): void {
  const dir = process.env[CAPTURE_DIR_ENV];
  if (!dir) return;
  const base = join(dir, `${label.replace(/[^a-zA-Z0-9-]/g, '_')}-${process.pid}-${++captureSeq}-${child.pid ?? 'x'}`);
  const tee = (name: string) => (chunk: Buffer) => {
    try {
      appendFileSync(`${base}.${name}`, chunk);
    } catch {
      /* the capture directory is gone (run ending); the per-call scan still sees the output */
    }
  };
  child.stdout?.on('data', tee('stdout'));
  child.stderr?.on('data', tee('stderr'));
}

/** Tells the capture preload (capture-preload.mjs) that the parent already captures this child. */
export const CAPTURED_BY_PARENT_ENV = { CONNECTOR_OUTPUT_CAPTURED_BY_PARENT: '1' } as const;

let scanner: ReturnType<typeof createCanaryScanner> | undefined;

/** Throws when connector output contains a canary secret in any encoding. */
export function assertNoCanary(text: string, what: string): void {
  scanner ??= createCanaryScanner();
  const findings = scanner.scan(text, what);
  if (findings.length > 0) throw new Error(`A canary secret leaked into connector output:\n${describeFindings(findings)}`);
}

export function runCli(bin: Bin, args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath(bin), ...args], {
      env: { ...process.env, ...CAPTURED_BY_PARENT_ENV, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    captureChildOutput(child, `${bin}-${args[0] ?? ''}`);
    options.onSpawn?.(child);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      try {
        assertNoCanary(stdout, `${bin} ${args[0] ?? ''} stdout`);
        assertNoCanary(stderr, `${bin} ${args[0] ?? ''} stderr`);
        resolve({ exitCode, signal, stdout, stderr, messages: parseMessages(stdout) });
      } catch (e) {
        reject(e);
      }
    });
    const { stdin } = options;
    if (stdin === undefined) child.stdin.end();
    else if (typeof stdin === 'string' || Buffer.isBuffer(stdin)) child.stdin.end(stdin);
    else stdin.pipe(child.stdin);
    child.stdin.on('error', () => {}); // a connector may exit before reading all of stdin
  });
}

export function messagesOfType<T extends AirbyteMessage['type']>(messages: AirbyteMessage[], type: T): Extract<AirbyteMessage, { type: T }>[] {
  return messages.filter((m): m is Extract<AirbyteMessage, { type: T }> => m.type === type);
}
