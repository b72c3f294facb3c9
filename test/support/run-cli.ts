/**
 * Runs a connector's real CLI (the built bin) as a child process, like Airbyte or a shell pipe would,
 * and collects what it printed. stdout must contain only protocol messages: a non-JSON line fails.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/runtime/files.js';
import type { AirbyteMessage } from '../../src/protocol/messages.js';

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

export function runCli(bin: Bin, args: string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath(bin), ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      try {
        resolve({ exitCode, signal, stdout, stderr: Buffer.concat(err).toString('utf8'), messages: parseMessages(stdout) });
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
