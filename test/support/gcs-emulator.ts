/**
 * A real GCS JSON-API server for tests (firebase-tools' storage emulator, launched by
 * tools/gcs-emulator/launch.cjs on 127.0.0.1, port 0, private temp dir) and a fault-injecting HTTP
 * proxy that a test puts in front of it (503s, connection resets, slow responses).
 * Tests read results back through @google-cloud/storage (`emulatorStorage`), never from disk.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Storage } from '@google-cloud/storage';
import { PACKAGE_ROOT } from '../../src/runtime/files.js';

export const EMULATOR_LAUNCHER = join(PACKAGE_ROOT, 'tools', 'gcs-emulator', 'launch.cjs');
export const EMULATOR_ENV = 'GCS_EMULATOR_URL';

export interface GcsEmulator {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function emulatorInstalled(): boolean {
  return existsSync(join(PACKAGE_ROOT, 'tools', 'gcs-emulator', 'node_modules', 'firebase-tools', 'package.json'));
}

/** Starts a private emulator and resolves once it listens. */
export function startGcsEmulator(options: { port?: number; timeoutMs?: number } = {}): Promise<GcsEmulator> {
  if (!emulatorInstalled()) {
    return Promise.reject(new Error('The GCS emulator is not installed: run `npm ci` at the repository root (its postinstall installs tools/gcs-emulator)'));
  }
  const child: ChildProcess = spawn(process.execPath, [EMULATOR_LAUNCHER, '--port', String(options.port ?? 0), '--exit-with-stdin'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`GCS emulator did not start within ${options.timeoutMs ?? 30_000} ms: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`GCS emulator exited with ${code}: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).once('line', (line) => {
      clearTimeout(timer);
      const { url, port } = JSON.parse(line) as { url: string; port: number };
      resolve({
        url,
        port,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

/** A client for reading back what a connector wrote (no credentials: the emulator takes none). */
export function emulatorStorage(url: string): Storage {
  return new Storage({ apiEndpoint: url, projectId: 'demo-test', retryOptions: { autoRetry: false } });
}

/**
 * A destination config writing JSONL into `bucket` on the emulator at `endpoint`, echoing states after
 * a second; `over` replaces or adds fields (credentials, path, format).
 */
export function emulatorDestinationConfig(bucket: string, endpoint: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    gcs_bucket_name: bucket,
    gcs_bucket_path: 'out',
    credential: { credential_type: 'APPLICATION_DEFAULT' },
    format: { format_type: 'JSONL' },
    gcs_endpoint: endpoint,
    state_flush_interval_seconds: 1,
    ...over,
  };
}

/** A bucket name unique to a test, so tests sharing one emulator never see each other's objects. */
export function uniqueBucket(label: string): string {
  return `${label.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 30)}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  | { kind: 'reset' }
  /** The request reaches the emulator and completes there, but the client's connection is reset. */
  | { kind: 'drop-response' }
  | { kind: 'delay'; ms: number };

export interface FaultRule {
  fault: Fault;
  /** Which requests it applies to (default: all). */
  match?: (req: { method: string; url: string }) => boolean;
  /** How many matching requests it hits (default 1; Infinity for "until cleared"). */
  times?: number;
}

export interface FaultProxy {
  url: string;
  /** Every request seen, in order, with the fault applied to it if any. */
  readonly log: Array<{ method: string; url: string; fault?: Fault['kind'] }>;
  inject(rule: FaultRule): void;
  clear(): void;
  close(): Promise<void>;
}

/** An HTTP proxy in front of the emulator that injects faults on demand. */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const rules: Array<Required<Omit<FaultRule, 'match'>> & Pick<FaultRule, 'match'>> = [];
  const log: FaultProxy['log'] = [];

  const forward = (req: IncomingMessage, res: ServerResponse, dropResponse = false): void => {
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        if (dropResponse) {
          up.resume();
          up.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };

  const server: Server = createServer((req, res) => {
    const info = { method: req.method ?? 'GET', url: req.url ?? '/' };
    const rule = rules.find((r) => r.times > 0 && (!r.match || r.match(info)));
    log.push(rule ? { ...info, fault: rule.fault.kind } : info);
    if (!rule) return forward(req, res);
    rule.times--;
    const { fault } = rule;
    if (fault.kind === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault.kind === 'drop-response') return forward(req, res, true);
    if (fault.kind === 'delay') {
      setTimeout(() => forward(req, res), fault.ms);
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(fault.status, {
        'content-type': 'application/json',
        ...(fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {}),
      });
      res.end(JSON.stringify({ error: { code: fault.status, message: 'injected fault', errors: [{ message: 'injected fault' }] } }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    inject: (rule) => rules.push({ fault: rule.fault, match: rule.match, times: rule.times ?? 1 }),
    clear: () => void rules.splice(0),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
