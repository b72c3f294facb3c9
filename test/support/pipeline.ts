/**
 * A full sync as a user runs it: `source-shopify read | destination-gcs write`, both real CLIs (the
 * built bins) as child processes, the source's stdout relayed line by line into the destination's stdin
 * with backpressure (like scripts/demo.mjs). Every line both connectors print is kept, so a test sees
 * what the source sent (records, STATE, TRACE, LOG) and which STATE messages the destination echoed.
 */
import { spawn, type ChildProcess, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { createInterface } from 'node:readline';
import type { AirbyteMessage } from '../../src/protocol/messages.js';
import { binPath, writeJsonFiles } from './run-cli.js';

export interface PipelineInput {
  sourceConfig: Record<string, unknown>;
  destinationConfig: Record<string, unknown>;
  catalog: unknown;
  state?: unknown;
  /** Both processes are killed after this long (a hang is a result too: `timedOut`). */
  timeoutMs?: number;
}

export interface PipelineResult {
  sourceExit: number | null;
  destinationExit: number | null;
  timedOut: boolean;
  /** Everything the source printed on stdout, in order. */
  sourceMessages: AirbyteMessage[];
  /** Everything the destination printed on stdout, in order. */
  destinationMessages: AirbyteMessage[];
  /** stdout lines that were not JSON (each one is a protocol violation). */
  badLines: string[];
  sourceStderr: string;
  destinationStderr: string;
  /** Local clock when the source was started and when both had exited. */
  startedAt: number;
  endedAt: number;
}

function collect(child: ChildProcess, into: AirbyteMessage[], bad: string[], onLine?: (line: string) => void): void {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    onLine?.(line);
    if (line === '') return;
    try {
      into.push(JSON.parse(line) as AirbyteMessage);
    } catch {
      bad.push(line.slice(0, 300));
    }
  });
}

/** Starts `source-shopify read` and `destination-gcs write` with their files; the caller wires the pipe. */
export function spawnConnectors(input: Pick<PipelineInput, 'sourceConfig' | 'destinationConfig' | 'catalog' | 'state'>): {
  source: ChildProcessByStdio<null, Readable, Readable>;
  dest: ChildProcessByStdio<Writable, Readable, Readable>;
} {
  const files = writeJsonFiles({
    source: input.sourceConfig,
    destination: input.destinationConfig,
    catalog: input.catalog as Record<string, unknown>,
    ...(input.state === undefined ? {} : { state: input.state as Record<string, unknown> }),
  }) as Record<'source' | 'destination' | 'catalog', string> & { state?: string };
  const readArgs = ['read', '--config', files.source, '--catalog', files.catalog, ...(files.state ? ['--state', files.state] : [])];
  const source = spawn(process.execPath, [binPath('source-shopify'), ...readArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  const dest = spawn(process.execPath, [binPath('destination-gcs'), 'write', '--config', files.destination, '--catalog', files.catalog], { stdio: ['pipe', 'pipe', 'pipe'] });
  return { source, dest };
}

export function runPipeline(input: PipelineInput): Promise<PipelineResult> {
  const startedAt = Date.now();
  const { source, dest } = spawnConnectors(input);
  const result: PipelineResult = {
    sourceExit: null, destinationExit: null, timedOut: false, sourceMessages: [], destinationMessages: [], badLines: [],
    sourceStderr: '', destinationStderr: '', startedAt, endedAt: 0,
  };
  source.stderr.on('data', (c: Buffer) => (result.sourceStderr = (result.sourceStderr + c.toString()).slice(-20_000)));
  dest.stderr.on('data', (c: Buffer) => (result.destinationStderr = (result.destinationStderr + c.toString()).slice(-20_000)));
  dest.stdin.on('error', () => {}); // the destination may stop reading first; its exit code says why
  dest.stdin.on('drain', () => source.stdout.resume());
  // As in a shell pipe, a destination that is gone breaks the source's stdout (no relay paused forever).
  dest.on('exit', () => {
    if (source.exitCode === null && source.signalCode === null) source.stdout.destroy();
  });
  collect(source, result.sourceMessages, result.badLines, (line) => {
    if (!dest.stdin.write(`${line}\n`)) source.stdout.pause();
  });
  collect(dest, result.destinationMessages, result.badLines);
  const timer = setTimeout(() => {
    result.timedOut = true;
    source.kill('SIGKILL');
    dest.kill('SIGKILL');
  }, input.timeoutMs ?? 120_000);
  const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return Promise.all([
    exited(source).then((code) => {
      dest.stdin.end();
      return code;
    }),
    exited(dest),
  ]).then(([sourceExit, destinationExit]) => {
    clearTimeout(timer);
    return { ...result, sourceExit, destinationExit, endedAt: Date.now() };
  });
}
