/**
 * `write`: consumes Airbyte messages, writes records into object parts per stream, and yields each STATE
 * once everything before it is committed (see state-tracker.ts). At end of input every part is closed
 * and uploaded, the last states are echoed, and older generations of completed overwrite streams are
 * deleted. Any failure stops the sync before another state is echoed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Storage } from '@google-cloud/storage';
import type { AirbyteMessage, ConfiguredAirbyteCatalog, StateMessage } from '../protocol/messages.js';
import type { ReadMessage } from '../protocol/reader.js';
import type { CommandContext } from '../runtime/connector.js';
import { ConfigError } from '../runtime/errors.js';
import type { RetryPolicy } from '../runtime/retry.js';
import { catalogTargets, findTarget, type StreamTarget } from './catalog.js';
import type { DestinationConfig } from './config.js';
import { loadFormatWriter } from './formats/index.js';
import { createStorage } from './gcs/client.js';
import type { GcsOps } from './gcs/objects.js';
import { checkInputMessage } from './input-checks.js';
import { deleteOlderGenerations, wantsGenerationCleanup } from './overwrite.js';
import { streamNaming, validateNaming, type NamingContext } from './naming.js';
import { toRow } from './records.js';
import { StateTracker } from './state-tracker.js';
import { StreamWriter } from './stream-writer.js';
import { createUploadSlots } from './upload-slots.js';

export interface WriteOptions {
  storage?: Storage;
  retry?: Partial<RetryPolicy>;
  /** Open parts across all streams; beyond it the least recently written part is closed (bounded memory). */
  maxOpenParts?: number;
  uploadConcurrency?: number;
  now?: () => number;
}

const WAKE = Symbol('wake');

export async function* writeMessages(
  config: DestinationConfig,
  catalog: ConfiguredAirbyteCatalog,
  input: AsyncIterable<ReadMessage>,
  ctx: CommandContext,
  options: WriteOptions = {},
): AsyncGenerator<AirbyteMessage> {
  validateNaming(config.pathFormat, config.fileNamePattern);
  const targets = catalogTargets(catalog);
  const now = options.now ?? Date.now;
  const storage = options.storage ?? (await createStorage(config));
  const ops: GcsOps = { bucket: storage.bucket(config.bucket), logger: ctx.logger, signal: ctx.signal, ...(options.retry ? { retry: options.retry } : {}) };
  const slots = createUploadSlots(options.uploadConcurrency ?? 4);
  const maxOpenParts = options.maxOpenParts ?? 8;
  const formatWriter = await loadFormatWriter(config.format);
  const startedAt = new Date(now());
  const spoolDir = mkdtempSync(join(tmpdir(), 'destination-gcs-'));
  const writers = new Map<string, StreamWriter>();
  const tracker = new StateTracker();
  const completed = new Set<string>();
  let wake: (() => void) | undefined;
  let woken: Promise<typeof WAKE> = new Promise((resolve) => (wake = () => resolve(WAKE)));
  const onCommit = (): void => wake?.();
  const timer = setInterval(onCommit, Math.min(config.stateFlushIntervalMs, 1000));
  timer.unref();

  const writerFor = (target: StreamTarget): StreamWriter => {
    let w = writers.get(target.key);
    if (!w) {
      const format = formatWriter(target.jsonSchema);
      const naming: NamingContext = { bucketPath: config.bucketPath, pathFormat: config.pathFormat, fileNamePattern: config.fileNamePattern, startedAt, syncId: target.syncId };
      w = new StreamWriter(target, {
        format, naming: streamNaming(naming, target.descriptor, format.extension), ops, slots, spoolDir,
        maxObjectBytes: config.maxObjectBytes, logger: ctx.logger, now, onCommit,
      });
      writers.set(target.key, w);
    }
    return w;
  };
  const committed = (key: string): number => writers.get(key)?.committed ?? 0;
  const throwIfFailed = (): void => {
    for (const w of writers.values()) if (w.failure) throw w.failure;
  };
  // Parts holding data a waiting state needs are closed once they have been open for the interval.
  const closeStaleParts = async (): Promise<void> => {
    const keys = tracker.waitingKeys();
    for (const w of writers.values()) {
      if ((keys.includes('*') || keys.includes(w.target.key)) && w.isOpen && w.openForMs() >= config.stateFlushIntervalMs) await w.closePart();
    }
  };
  const enforceOpenLimit = async (opening: StreamWriter): Promise<void> => {
    const open = [...writers.values()].filter((w) => w.isOpen && w !== opening);
    if (open.length < maxOpenParts) return;
    open.sort((a, b) => a.lastWriteAt - b.lastWriteAt);
    await open[0]?.closePart();
  };

  const handle = async ({ line, message }: ReadMessage): Promise<void> => {
    checkInputMessage(line, message);
    if (message.type === 'RECORD') {
      const { record } = message;
      const target = findTarget(targets, record.stream, record.namespace);
      if (!target) throw new ConfigError(`line ${line}: RECORD for stream "${record.namespace ? `${record.namespace}.` : ''}${record.stream}", which is not in the configured catalog`);
      const w = writerFor(target);
      if (!w.isOpen) await enforceOpenLimit(w);
      tracker.countRecord(target.key);
      await w.write(toRow(record, target));
    } else if (message.type === 'STATE') {
      const state = message.state;
      if (state.type === 'STREAM') {
        const d = state.stream?.stream_descriptor;
        if (!d) throw new ConfigError(`line ${line}: STREAM state without stream.stream_descriptor`);
        const key = findTarget(targets, d.name, d.namespace)?.key ?? `${d.namespace ?? ''}\u0000${d.name}`;
        tracker.addStreamState(key, message, writers.get(key)?.barrier() ?? 0);
      } else {
        tracker.addGlobalState(message, [...writers.values()].map((w) => ({ key: w.target.key, parts: w.barrier() })));
      }
      await closeStaleParts();
    } else if (message.type === 'TRACE' && message.trace.type === 'STREAM_STATUS') {
      const s = message.trace.stream_status;
      const target = s ? findTarget(targets, s.stream_descriptor.name, s.stream_descriptor.namespace) : undefined;
      if (target && s?.status === 'COMPLETE') completed.add(target.key);
    }
  };

  const readyStates = (): StateMessage[] => tracker.ready(committed);

  try {
    const it = input[Symbol.asyncIterator]();
    for (;;) {
      const next = it.next();
      let result: IteratorResult<ReadMessage> | typeof WAKE;
      if (tracker.pending === 0) result = await next;
      else {
        next.catch(() => {});
        result = await Promise.race([next, woken]);
        while (result === WAKE) {
          woken = new Promise((resolve) => (wake = () => resolve(WAKE)));
          throwIfFailed();
          yield* readyStates();
          await closeStaleParts();
          result = tracker.pending === 0 ? await next : await Promise.race([next, woken]);
        }
      }
      if (result.done) break;
      await handle(result.value);
      throwIfFailed();
      if (tracker.pending > 0) yield* readyStates();
    }
    for (const w of writers.values()) await w.closePart();
    for (const w of writers.values()) await w.flush();
    throwIfFailed();
    yield* readyStates();

    for (const w of writers.values()) {
      if (!wantsGenerationCleanup(w.target)) continue;
      if (!completed.has(w.target.key)) {
        ctx.logger.warn(`${w.target.label}: no COMPLETE stream status received; older generations are kept`);
        continue;
      }
      await deleteOlderGenerations(ops, w.target, streamNamingPrefix(config, w.target, startedAt), ctx.logger);
    }
    for (const target of targets.values()) {
      if (!writers.has(target.key) && wantsGenerationCleanup(target) && completed.has(target.key)) {
        await deleteOlderGenerations(ops, target, streamNamingPrefix(config, target, startedAt), ctx.logger);
      }
    }
    const objects = [...writers.values()].flatMap((w) => w.objects);
    const records = [...writers.values()].reduce((n, w) => n + w.records, 0);
    const bytes = objects.reduce((n, o) => n + o.bytes, 0);
    ctx.logger.info(`wrote ${records} records to ${objects.length} object(s), ${bytes} bytes, in gs://${config.bucket}/${config.bucketPath}`);
  } catch (err) {
    await Promise.allSettled([...writers.values()].map((w) => w.abort()));
    throw err;
  } finally {
    clearInterval(timer);
    rmSync(spoolDir, { recursive: true, force: true });
  }
}

function streamNamingPrefix(config: DestinationConfig, target: StreamTarget, startedAt: Date): string {
  const naming = { bucketPath: config.bucketPath, pathFormat: config.pathFormat, fileNamePattern: config.fileNamePattern, startedAt, syncId: target.syncId };
  return streamNaming(naming, target.descriptor, '').streamPrefix;
}
