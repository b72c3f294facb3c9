/**
 * What the commands need from the outside world, created from the config by one factory, so tests can
 * swap timing or transport without any global state.
 */
import { setTimeout as sleepTimer } from 'node:timers/promises';
import type { CommandContext } from '../runtime/connector.js';
import type { RetryPolicy } from '../runtime/retry.js';
import { defaultWorkerCount } from './bulk/parse-pool.js';
import { DEFAULT_JOB_TIMING, type JobTiming } from './bulk/runner.js';
import type { SourceConfig } from './config.js';
import { createShopifyClient, type ShopifyClient } from './shopify/client.js';

export interface SourceDeps {
  client: ShopifyClient;
  /** The same client without the command's abort signal: cancels our own jobs when the sync is stopped. */
  cleanupClient: ShopifyClient;
  timing: JobTiming;
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  fetch: typeof fetch;
  /** The last window ends this long before the sync started (Shopify's search index lags writes). */
  safetyMarginMs: number;
  /** Override of `groupObjects` (tests of ungrouped results); default: request grouping where it matters. */
  groupObjects?: boolean;
  spill: { memoryLimitBytes?: number; bucketCount?: number; tempDir?: string };
  retryPolicy?: Partial<RetryPolicy>;
  /**
   * Worker threads for parsing results, grouped or not (0: main thread only), and the smallest result
   * (in lines) worth them: below it, a worker's start-up costs more than it saves.
   */
  parallel: {
    workers: number;
    minLines: number;
    /** Block size override (tests: many blocks from a small file). */
    blockBytes?: number;
    /** Worker heap cap override (tests: a cap a worker cannot even start in). */
    oldGenerationMb?: number;
  };
}

/** About 3 MB of orders: a result this small is read before a worker would have started. */
export const PARALLEL_MIN_LINES = 5_000;

export type DepsOverrides = Partial<Omit<SourceDeps, 'client' | 'timing' | 'parallel'>> & { timing?: Partial<JobTiming>; parallel?: Partial<SourceDeps['parallel']> };

/** Check and discover answer within the platform's one-minute budget: fewer, shorter retries. */
export const QUICK_RETRY: Partial<RetryPolicy> = { maxAttempts: 3, deadlineMs: 20_000, maxDelayMs: 5_000 };

export function createSourceDeps(config: SourceConfig, ctx: CommandContext, overrides: DepsOverrides = {}, quick = false): SourceDeps {
  const fetchImpl = overrides.fetch ?? fetch;
  const retryPolicy = overrides.retryPolicy ?? (quick ? QUICK_RETRY : undefined);
  const now = overrides.now ?? Date.now;
  const clientOptions = {
    baseUrl: config.baseUrl,
    apiVersion: config.apiVersion,
    credentials: config.credentials,
    logger: ctx.logger,
    fetch: fetchImpl,
    now,
    ...(retryPolicy ? { retryPolicy } : {}),
  };
  const client = createShopifyClient({ ...clientOptions, signal: ctx.signal });
  return {
    client,
    cleanupClient: createShopifyClient({ ...clientOptions, retryPolicy: QUICK_RETRY }),
    timing: {
      ...DEFAULT_JOB_TIMING,
      terminationThresholdMs: config.jobTerminationThresholdSeconds * 1000,
      checkpointInterval: config.jobCheckpointInterval,
      ...overrides.timing,
    },
    now,
    sleep: overrides.sleep ?? ((ms, signal) => sleepTimer(ms, undefined, signal ? { signal } : {})),
    fetch: fetchImpl,
    safetyMarginMs: overrides.safetyMarginMs ?? 60_000,
    ...(overrides.groupObjects === undefined ? {} : { groupObjects: overrides.groupObjects }),
    spill: overrides.spill ?? {},
    ...(retryPolicy ? { retryPolicy } : {}),
    parallel: { workers: defaultWorkerCount(), minLines: PARALLEL_MIN_LINES, ...overrides.parallel },
  };
}
