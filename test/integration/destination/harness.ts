/**
 * Drives the destination's `write` in-process against the run's GCS emulator (or a fault proxy in front
 * of it) and reads results back through @google-cloud/storage.
 */
import { gunzipSync } from 'node:zlib';
import { inject } from 'vitest';
import type { Storage } from '@google-cloud/storage';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../../src/protocol/messages.js';
import type { ReadMessage } from '../../../src/protocol/reader.js';
import { splitRecordLine } from '../../../src/protocol/record-line.js';
import { createInputValidator } from '../../../src/runtime/validate.js';
import { silentLogger } from '../../../src/runtime/logger.js';
import type { RetryPolicy } from '../../../src/runtime/retry.js';
import { createDestinationGcs } from '../../../src/destination/connector.js';
import type { DestinationConfig } from '../../../src/destination/config.js';
import type { WriteOptions } from '../../../src/destination/write.js';
import { emulatorStorage } from '../../support/gcs-emulator.js';

export function emulatorUrl(): string {
  const url = inject('gcsEmulatorUrl');
  if (!url) throw new Error('The GCS emulator is not installed: run `npm ci` at the repository root');
  return url;
}

/** Raw connector config (as a user writes it) with the spec's defaults applied, like the CLI does. */
export function destinationConfig(raw: Record<string, unknown>): DestinationConfig {
  const connector = createDestinationGcs();
  const validate = createInputValidator<Record<string, unknown>>(connector.spec.connectionSpecification, 'config', { useDefaults: true });
  return connector.configure(validate({ credential: { credential_type: 'APPLICATION_DEFAULT' }, gcs_bucket_path: 'data', format: { format_type: 'JSONL' }, ...raw }));
}

export const FAST_RETRY: Partial<RetryPolicy> = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100, deadlineMs: 20_000 };

export function catalogOf(
  streams: Array<{ name: string; namespace?: string; schema?: Record<string, unknown>; mode?: 'append' | 'overwrite'; generation?: number | null; minimumGeneration?: number | null; syncId?: number | null }>,
): ConfiguredAirbyteCatalog {
  return {
    streams: streams.map((s) => ({
      stream: {
        name: s.name,
        ...(s.namespace ? { namespace: s.namespace } : {}),
        json_schema: s.schema ?? { type: 'object', properties: { id: { type: 'integer' }, name: { type: ['null', 'string'] } } },
        supported_sync_modes: ['full_refresh', 'incremental'],
      },
      sync_mode: 'full_refresh',
      destination_sync_mode: s.mode ?? 'append',
      ...(s.generation === null ? {} : { generation_id: s.generation ?? 1 }),
      ...(s.minimumGeneration === null ? {} : { minimum_generation_id: s.minimumGeneration ?? 0 }),
      ...(s.syncId === null ? {} : { sync_id: s.syncId ?? 42 }),
    })),
  };
}

export const record = (stream: string, data: Record<string, unknown>, emittedAt = 1_714_521_600_000): AirbyteMessage => ({
  type: 'RECORD',
  record: { stream, data, emitted_at: emittedAt },
});
export const streamState = (stream: string, state: Record<string, unknown>): AirbyteMessage => ({
  type: 'STATE',
  state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: state } },
});
export const complete = (stream: string): AirbyteMessage => ({
  type: 'TRACE',
  trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: stream }, status: 'COMPLETE' } },
});

/**
 * Numbers the messages as stdin lines. A RECORD the stdin reader would take on its fast path arrives as
 * the reader yields it (its data kept as bytes, parsed only when read), so every test also covers that path.
 */
export async function* numbered(messages: Iterable<AirbyteMessage> | AsyncIterable<AirbyteMessage>): AsyncGenerator<ReadMessage> {
  let line = 0;
  for await (const message of messages) {
    const raw = message.type === 'RECORD' ? splitRecordLine(Buffer.from(JSON.stringify(message))) : undefined;
    if (raw) yield { line: ++line, message: { type: 'RECORD', record: raw }, raw };
    else yield { line: ++line, message };
  }
}

export interface WriteRun {
  output: AirbyteMessage[];
  error: unknown;
}

/** Runs `write`; `onOutput` sees each message at the moment the destination yields it. */
export async function runWrite(
  config: DestinationConfig,
  catalog: ConfiguredAirbyteCatalog,
  input: Iterable<AirbyteMessage> | AsyncIterable<AirbyteMessage>,
  options: { retry?: Partial<RetryPolicy>; write?: Omit<WriteOptions, 'storage' | 'retry'>; onOutput?: (m: AirbyteMessage) => Promise<void> } = {},
): Promise<WriteRun> {
  const connector = createDestinationGcs({ retry: options.retry ?? FAST_RETRY, ...(options.write ? { write: options.write } : {}) });
  const output: AirbyteMessage[] = [];
  const ctx = { logger: silentLogger, signal: new AbortController().signal };
  try {
    for await (const m of connector.write!(config, catalog, numbered(input), ctx)) {
      output.push(m);
      await options.onOutput?.(m);
    }
    return { output, error: undefined };
  } catch (error) {
    return { output, error };
  }
}

export async function listNames(storage: Storage, bucket: string, prefix = ''): Promise<string[]> {
  const [files] = await storage.bucket(bucket).getFiles({ prefix });
  return files.map((f) => f.name).sort();
}

export async function readText(storage: Storage, bucket: string, name: string): Promise<string> {
  const [buf] = await storage.bucket(bucket).file(name).download();
  return (name.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

export async function readJsonl(storage: Storage, bucket: string, prefix = ''): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = [];
  for (const name of await listNames(storage, bucket, prefix)) {
    for (const line of (await readText(storage, bucket, name)).split('\n')) if (line) rows.push(JSON.parse(line) as Record<string, unknown>);
  }
  return rows;
}

export { emulatorStorage };
