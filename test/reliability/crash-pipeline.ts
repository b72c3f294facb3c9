/**
 * A sync that can be killed: `source-shopify read | destination-gcs write` (the built CLIs), the
 * source's stdout relayed line by line into the destination's stdin with backpressure. A `killWhen`
 * predicate sees every source line as it reaches the destination, every line the destination echoes,
 * and is re-checked on `poke()` (for conditions outside the pipe: the simulator's request log, job
 * statuses, the GCS proxy's log). When it holds, the chosen process gets SIGKILL at once; after a
 * source kill the destination sees end of input (what was in the pipe is delivered), after a
 * destination kill the source is killed too (the platform tears the sync down). Whatever the
 * destination printed before it died counts as echoed: that is what the platform would persist.
 */
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { AirbyteMessage } from '../../src/protocol/messages.js';
import { spawnConnectors } from '../support/pipeline.js';

export type Victim = 'source' | 'destination';

export interface PipeView {
  /** Source messages relayed so far, by type (RECORD, STATE, …). */
  relayed: Record<string, number>;
  /** STATE messages the destination echoed so far. */
  echoed: number;
  /** Source messages, in order. */
  sourceMessages: AirbyteMessage[];
  destinationMessages: AirbyteMessage[];
}

export interface KillablePipelineInput {
  sourceConfig: Record<string, unknown>;
  destinationConfig: Record<string, unknown>;
  catalog: unknown;
  state?: unknown;
  kill?: { victim: Victim; when: (view: PipeView) => boolean };
  timeoutMs?: number;
}

export interface KillablePipeline {
  /** Re-checks the kill condition (call when something outside the pipe changed). */
  poke(): void;
  done: Promise<PipelineRun>;
}

export interface PipelineRun extends PipeView {
  killed: boolean;
  sourceExit: number | null;
  destinationExit: number | null;
  timedOut: boolean;
  stderr: string;
  /** Lines that are not JSON, other than the torn last line of a source killed mid-write. */
  badLines: string[];
}

export function startPipeline(input: KillablePipelineInput): KillablePipeline {
  const { source, dest } = spawnConnectors(input);
  const view: PipeView = { relayed: {}, echoed: 0, sourceMessages: [], destinationMessages: [] };
  let killed = false;
  let timedOut = false;
  let stderr = '';
  const badLines: string[] = [];
  /** The message on a line, or undefined (noted in `badLines` unless it is the torn tail of a killed source). */
  const parse = (line: string, from: 'source' | 'destination'): AirbyteMessage | undefined => {
    try {
      return JSON.parse(line) as AirbyteMessage;
    } catch {
      if (!(killed && from === 'source' && input.kill?.victim === 'source')) badLines.push(`${from}: ${line.slice(0, 200)}`);
      return undefined;
    }
  };
  const keepStderr = (c: Buffer): void => void (stderr = (stderr + c.toString()).slice(-8000));
  source.stderr.on('data', keepStderr);
  dest.stderr.on('data', keepStderr);

  const check = (): void => {
    if (killed || !input.kill || !input.kill.when(view)) return;
    killed = true;
    if (input.kill.victim === 'source') {
      source.kill('SIGKILL');
    } else {
      dest.kill('SIGKILL');
      source.kill('SIGKILL');
    }
  };
  dest.stdin.on('error', () => {});
  dest.stdin.on('drain', () => source.stdout.resume());
  // As in a shell pipe, a destination that is gone breaks the source's stdout: without this the relay
  // would stay paused for a 'drain' that never comes, and a destination failure would look like a hang.
  dest.on('exit', () => {
    if (source.exitCode === null && source.signalCode === null) source.stdout.destroy();
  });
  createInterface({ input: source.stdout }).on('line', (line) => {
    if (line === '') return;
    // Once the destination is dead nothing more reaches it; after a source kill the pipe still drains.
    if (killed && input.kill?.victim === 'destination') return;
    if (!dest.stdin.write(`${line}\n`)) source.stdout.pause();
    const m = parse(line, 'source');
    if (!m) return;
    view.sourceMessages.push(m);
    view.relayed[m.type] = (view.relayed[m.type] ?? 0) + 1;
    check();
  });
  createInterface({ input: dest.stdout }).on('line', (line) => {
    if (line === '') return;
    const m = parse(line, 'destination');
    if (!m) return;
    view.destinationMessages.push(m);
    if (m.type === 'STATE') view.echoed++;
    check();
  });
  const timer = setTimeout(() => {
    timedOut = true;
    source.kill('SIGKILL');
    dest.kill('SIGKILL');
  }, input.timeoutMs ?? 100_000); // two runs per case fit in the case's 240 s, so a hang is reported with its stderr
  const exited = (child: ChildProcess): Promise<number | null> => new Promise((resolve) => child.on('close', (code) => resolve(code)));
  const done = Promise.all([
    exited(source).then((code) => {
      dest.stdin.end();
      return code;
    }),
    exited(dest),
  ]).then(([sourceExit, destinationExit]): PipelineRun => {
    clearTimeout(timer);
    return { ...view, killed, sourceExit, destinationExit, timedOut, stderr, badLines };
  });
  return { poke: check, done };
}

/** The last STATE the destination echoed per stream: the state file the platform would resume with. */
export function echoedState(messages: readonly AirbyteMessage[]): unknown[] {
  const last = new Map<string, unknown>();
  for (const m of messages) if (m.type === 'STATE' && m.state.stream) last.set(m.state.stream.stream_descriptor.name, m.state);
  return [...last.values()];
}
