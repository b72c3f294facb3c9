/**
 * `read`: plans every configured stream, then runs their slices through one scheduler that keeps up
 * to `max_concurrent_bulk_operations` bulk jobs in flight across streams (round-robin, so five
 * streams' first jobs run together). Records, STATE and TRACE messages from all running slices meet
 * in one bounded channel that the generator drains. A failing stream does not stop the others; at
 * the end, failures are raised as one error naming the streams and windows.
 */
import {
  errorTraceMessage,
  recordMessage,
  streamStatusMessage,
  type AirbyteMessage,
  type ConfiguredAirbyteCatalog,
} from '../protocol/messages.js';
import { ConnectorError, asConnectorError } from '../runtime/errors.js';
import type { CommandContext } from '../runtime/connector.js';
import { Channel, Semaphore } from './bulk/concurrency.js';
import { cancelBulkOperation } from './bulk/operations.js';
import { closeSharedParsePool } from './bulk/parse-pool.js';
import type { OutputMessage } from '../protocol/serialized.js';
import type { SourceConfig } from './config.js';
import type { SourceDeps } from './deps.js';
import { checkCatalog, futureCursorWarning, parseInputState } from './read-input.js';
import { runSlice, type SliceEnv } from './slice-task.js';
import { missingScopes, readShopAccess } from './scopes.js';
import { planStream, resolveStream, type StreamRun } from './stream-run.js';
import type { GraphqlExtraction, StreamDefinition } from './streams/define.js';

export interface ReadInput {
  config: SourceConfig;
  catalog: ConfiguredAirbyteCatalog;
  state: unknown;
  ctx: CommandContext;
  deps: SourceDeps;
  /** The streams to resolve catalog names against (tests); default ALL_STREAMS. */
  streams?: readonly StreamDefinition[];
}

/**
 * Bounds of the queue between the slices and stdout. When the reader of stdout is slow, this queue is
 * what fills: at 1,024 orders (~7 KB of JSON each, several times that as objects) peak RSS reached
 * ~250 MB. 64 messages or 1 MiB of source lines keep it well under that without slowing a fast
 * reader: the consumer takes the whole queue at each turn.
 */
export const OUTPUT_ITEMS = 64;
export const OUTPUT_BYTES = 1024 * 1024;

/** The end of the last window: a margin before the sync started, by the earlier of our clock and Shopify's. */
function syncEnd(deps: SourceDeps): number {
  const server = deps.client.serverTime();
  const now = server === undefined ? deps.now() : Math.min(deps.now(), server);
  return now - deps.safetyMarginMs;
}

async function finalize(run: StreamRun, env: SliceEnv): Promise<void> {
  if (run.finished) return;
  run.finished = true;
  if (!run.running) {
    run.running = true;
    await env.out.push(streamStatusMessage(run.name, 'RUNNING'));
  }
  const state = run.stateMessage(true);
  if (state) await env.out.push(state);
  if (run.failure) {
    env.logger.error(`Stream ${run.name} failed: ${run.failure.message}`);
    await env.out.push(errorTraceMessage({ message: run.failure.message, failure_type: run.failure.failureType, stream_descriptor: { name: run.name } }));
    await env.out.push(streamStatusMessage(run.name, 'INCOMPLETE'));
  } else {
    await env.out.push(streamStatusMessage(run.name, 'COMPLETE'));
  }
}

async function runGraphqlStream(run: StreamRun, env: SliceEnv): Promise<void> {
  const extraction = run.def.extraction as GraphqlExtraction;
  try {
    const { data } = await env.deps.client.graphql<Record<string, unknown>>(extraction.query({ apiVersion: env.deps.client.apiVersion, filter: undefined }), undefined, {
      operation: `query for stream ${run.name}`,
    });
    for (const record of extraction.toRecords(data, env.recordContext)) {
      await env.out.push(recordMessage(run.name, record, env.deps.now()));
      run.tracker.countRecord();
    }
    for (const slice of run.queue.splice(0)) run.tracker.finish(slice.window);
  } catch (err) {
    const e = asConnectorError(err);
    run.failure = { message: `${run.name}: ${e.message}`, failureType: e.failureType };
  }
}

async function schedule(runs: StreamRun[], env: SliceEnv): Promise<void> {
  const inflight = new Set<Promise<void>>();
  const start = (run: StreamRun, body: () => Promise<void>): void => {
    run.inflight++;
    const task: Promise<void> = (async () => {
      if (!run.running) {
        run.running = true;
        await env.out.push(streamStatusMessage(run.name, 'RUNNING'));
      }
      try {
        await body();
      } finally {
        run.inflight--;
        if (run.idle()) await finalize(run, env);
      }
    })()
      .catch((err: unknown) => {
        run.failure ??= { message: asConnectorError(err).message, failureType: asConnectorError(err).failureType };
        run.tracker.close();
      })
      .finally(() => inflight.delete(task));
    inflight.add(task);
  };

  const bulk = runs.filter((r) => r.def.extraction.kind === 'bulk');
  for (const run of runs) {
    if (run.def.extraction.kind === 'graphql') start(run, () => runGraphqlStream(run, env));
    else if (run.idle()) await finalize(run, env);
  }
  let cursor = 0;
  // A stream emits its windows in order; it runs at most this many ahead of the one it is emitting.
  // The window next in turn is always let through, or slices waiting for their turn could hold every
  // place while the window they wait for sits in the queue (after a retry or a split).
  const perStream = env.slotCount;
  const pick = (): StreamRun | undefined => {
    for (let i = 0; i < bulk.length; i++) {
      const run = bulk[(cursor + i) % bulk.length]!;
      if (!run.failure && run.queue.length > 0 && (run.inflight < perStream || run.headIsNext()) && !env.signal?.aborted) {
        cursor = (cursor + i + 1) % bulk.length;
        return run;
      }
    }
    return undefined;
  };
  for (;;) {
    await env.slots.acquire();
    const run = pick();
    if (!run) {
      env.slots.release();
      if (inflight.size === 0) break;
      await Promise.race(inflight);
      continue;
    }
    const slice = run.queue.shift()!;
    start(run, () => runSlice(run, slice, env));
  }
}

export async function* readStreams(input: ReadInput): AsyncGenerator<OutputMessage> {
  const { config, catalog, ctx, deps } = input;
  const states = parseInputState(input.state, ctx.logger);
  checkCatalog(catalog, (name) => resolveStream(name, input.streams));
  // One cheap call first: it fails fast on bad credentials, reads Shopify's clock for the sync end,
  // and names scopes a configured stream will miss (its jobs then fail with ACCESS_DENIED).
  const access = await readShopAccess(deps.client);
  for (const s of catalog.streams) {
    const missing = missingScopes(resolveStream(s.stream.name, input.streams), access.scopes);
    if (missing.length > 0) ctx.logger.warn(`Stream ${s.stream.name} needs the access scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which the token lacks`);
  }
  const end = syncEnd(deps);
  const latestCursor = Math.max(deps.now(), deps.client.serverTime() ?? 0) + 86_400_000;
  for (const s of catalog.streams) {
    const warning = s.sync_mode === 'incremental' ? futureCursorWarning(resolveStream(s.stream.name, input.streams), states.get(s.stream.name), latestCursor) : undefined;
    if (warning) ctx.logger.warn(warning);
  }
  const runs = catalog.streams.map((stream) =>
    planStream({ config, stream, stateBlob: states.get(stream.stream.name), end, ...(input.streams ? { streams: input.streams } : {}) }),
  );
  for (const run of runs) yield streamStatusMessage(run.name, 'STARTED');
  const out = new Channel<OutputMessage>(OUTPUT_ITEMS, OUTPUT_BYTES);
  const env: SliceEnv = {
    deps,
    logger: ctx.logger,
    out,
    slots: new Semaphore(config.maxConcurrentBulkOperations),
    slotCount: config.maxConcurrentBulkOperations,
    downloads: new Semaphore(config.maxConcurrentBulkOperations),
    recordContext: { shop: config.shop },
    signal: ctx.signal,
    ownJobs: new Set(),
  };
  // Stopped mid-sync: cancel the jobs we started (never others'), so they do not hold Shopify's slots.
  const onAbort = (): void => {
    for (const id of env.ownJobs) {
      void cancelBulkOperation(deps.cleanupClient, id, `cancel of ${id} on shutdown`).then(
        () => ctx.logger.info(`Cancelled bulk operation ${id} because the sync was stopped`),
        () => undefined,
      );
    }
  };
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  ctx.logger.info(
    `Reading ${runs.length} stream(s) up to ${new Date(end).toISOString()} with up to ${config.maxConcurrentBulkOperations} bulk operation(s) at a time (API ${config.apiVersion})`,
  );
  let crash: unknown;
  const work = schedule(runs, env)
    .catch((err: unknown) => {
      crash = err;
    })
    .finally(() => out.close());
  try {
    yield* out;
    await work;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    // Worker threads end with the read, so the process exits as soon as its output is written.
    await closeSharedParsePool();
  }
  if (crash) throw crash;
  ctx.signal.throwIfAborted();
  const failed = runs.filter((r) => r.failure);
  if (failed.length > 0) {
    const types = new Set(failed.map((r) => r.failure!.failureType));
    const failureType = types.size === 1 ? [...types][0]! : 'system_error';
    throw new ConnectorError(`${failed.length} of ${runs.length} stream(s) failed: ${failed.map((r) => r.failure!.message).join(' | ')}`, { failureType });
  }
}
