/**
 * Helpers for the source's scenario tests: a config and catalog for a simulator, an in-process read
 * (real HTTP, the real connector, test-tunable timings) and summaries of the emitted messages.
 */
import { expandMessages } from '../../../src/protocol/serialized.js';
import type { AirbyteMessage, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../../../src/protocol/messages.js';
import { createLogger } from '../../../src/runtime/logger.js';
import { configureSource } from '../../../src/source/config.js';
import { createSourceShopify, type SourceOptions } from '../../../src/source/connector.js';
import { catalogEntry } from '../../../src/source/discover.js';
import { ALL_STREAMS } from '../../../src/source/streams/index.js';
import type { Simulator } from '../../../src/simulator/index.js';

export function simConfig(sim: Simulator, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    shop: sim.shop,
    credentials: { auth_method: 'api_password', api_password: sim.accessToken },
    api_base_url: sim.url,
    start_date: '2021-01-01',
    bulk_window_in_days: 730,
    ...over,
  };
}

export function catalogFor(names: string[], mode: 'incremental' | 'full_refresh' = 'incremental'): ConfiguredAirbyteCatalog {
  return {
    streams: names.map((name): ConfiguredAirbyteStream => {
      const def = ALL_STREAMS.find((s) => s.name === name);
      if (!def) throw new Error(`no stream ${name}`);
      const stream = catalogEntry(def);
      const incremental = mode === 'incremental' && def.cursorField !== undefined;
      return {
        stream,
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: 'append',
        ...(incremental ? { cursor_field: [def.cursorField!] } : {}),
      };
    }),
  };
}

export interface ReadResult {
  messages: AirbyteMessage[];
  error: Error | undefined;
}

/** Fast polling for tests; everything else as in production. */
/** TEST_PARSE_WORKERS=N runs every scenario's grouped results through N parse workers, however small. */
const FORCED_WORKERS = process.env.TEST_PARSE_WORKERS ? { parallel: { workers: Number(process.env.TEST_PARSE_WORKERS), minLines: 0 } } : {};

export const TEST_DEPS: SourceOptions['deps'] = { timing: { pollInitialMs: 50, pollMaxMs: 200, slotWaitMs: 100 }, retryPolicy: { baseDelayMs: 20, maxDelayMs: 200 }, ...FORCED_WORKERS };

export async function readInProcess(
  config: Record<string, unknown>,
  catalog: ConfiguredAirbyteCatalog,
  state?: unknown,
  options: SourceOptions = {},
  signal: AbortSignal = new AbortController().signal,
): Promise<ReadResult> {
  const messages: AirbyteMessage[] = [];
  const logger = createLogger({ write: (m) => void messages.push(m) });
  const source = createSourceShopify({ ...options, deps: { ...TEST_DEPS, ...options.deps, timing: { ...TEST_DEPS?.timing, ...options.deps?.timing } } });
  const typed = configureSource({ start_date: '2020-01-01', bulk_window_in_days: 30, job_termination_threshold: 7200, job_checkpoint_interval: 100000, lookback_window_in_days: 0, api_version: '2026-07', ...config });
  let error: Error | undefined;
  try {
    for await (const m of source.read!(typed, catalog, state, { logger, signal })) messages.push(...expandMessages(m));
  } catch (err) {
    error = err as Error;
  }
  return { messages, error };
}

export function records(messages: AirbyteMessage[], stream?: string): Array<Record<string, unknown>> {
  return messages.flatMap((m) => (m.type === 'RECORD' && (!stream || m.record.stream === stream) ? [m.record.data] : []));
}

export function ids(messages: AirbyteMessage[], stream: string): string[] {
  return records(messages, stream)
    .map((r) => String(r.admin_graphql_api_id))
    .sort();
}

export function states(messages: AirbyteMessage[], stream?: string) {
  return messages.flatMap((m) => (m.type === 'STATE' && m.state.stream && (!stream || m.state.stream.stream_descriptor.name === stream) ? [m.state] : []));
}

/** The last STATE of each stream, as a state file for the next read. */
export function finalState(messages: AirbyteMessage[]): unknown[] {
  const last = new Map<string, unknown>();
  for (const s of states(messages)) last.set(s.stream!.stream_descriptor.name, s);
  return [...last.values()];
}

export function statuses(messages: AirbyteMessage[], stream: string): string[] {
  return messages.flatMap((m) =>
    m.type === 'TRACE' && m.trace.type === 'STREAM_STATUS' && m.trace.stream_status?.stream_descriptor.name === stream ? [m.trace.stream_status.status] : [],
  );
}

export function logs(messages: AirbyteMessage[]): string[] {
  return messages.flatMap((m) => (m.type === 'LOG' ? [`${m.log.level} ${m.log.message}`] : []));
}

/** The gids the simulator's store says a stream must return (updated in [min, max)). */
export function expectedGids(sim: Simulator, type: Parameters<Simulator['store']['list']>[0], updatedAtMin?: string, updatedAtMax?: string): string[] {
  return sim.store
    .list(type, { ...(updatedAtMin ? { updatedAtMin } : {}), ...(updatedAtMax ? { updatedAtMax } : {}) })
    .map((e) => e.gid)
    .sort();
}
