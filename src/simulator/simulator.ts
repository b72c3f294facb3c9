/**
 * The simulator's state and its typed control surface (the HTTP control API mirrors it one to one).
 */
import { isoSeconds, SimClock } from './clock.js';
import { CostBuckets } from './bucket.js';
import type { ThrottleConfig } from './bucket.js';
import { Faults } from './faults.js';
import type { FaultRule, RequestKind } from './faults.js';
import { Tokens } from './auth.js';
import { Store } from './store/store.js';
import type { StoreOptions } from './store/store.js';
import type { ResourceType } from './store/ids.js';
import { listEntries } from './store/query.js';
import type { ListOptions, StoreEntry } from './store/query.js';
import { deleteRecords, insertRecords, updateRecords } from './store/mutate.js';
import type { MutationSpec } from './store/mutate.js';
import { BulkOperations } from './bulk/operations.js';
import type { BulkJob } from './bulk/operations.js';
import { ResultFiles } from './bulk/files.js';
import { runJob } from './bulk/runner.js';
import type { CachedResult } from './bulk/runner.js';
import { servePrepared } from './bulk/prepared.js';
import type { PreparedResult } from './bulk/prepared.js';
import { DEFAULT_TIMINGS, FAST_TIMINGS } from './bulk/types.js';
import type { BulkOperationView, JobFate, JobTimings } from './bulk/types.js';
import type { ShopInfo } from './graphql/context.js';
import { DEFAULT_SUPPORTED_VERSIONS } from './versions.js';

export interface SimulatorOptions extends StoreOptions {
  /** TCP port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Shop handle (default `simulator-shop`). */
  shop?: string;
  /** Access token with every scope (default `simulator-token`). */
  accessToken?: string;
  /** Client-credentials grant credentials. */
  clientId?: string;
  clientSecret?: string;
  /** Jobs finish as soon as their file is written (no simulated durations). */
  fast?: boolean;
  /** Overrides of the job timings (simulator milliseconds). */
  timings?: Partial<JobTimings>;
  /** Cost bucket (default 2000 maximum, 100 restored per second). */
  throttle?: Partial<ThrottleConfig>;
  /** API versions served; others fall forward to the oldest. */
  supportedVersions?: readonly string[];
  /** Start the simulator clock at this instant (ISO); default: real time. */
  clockStart?: string;
  /** Faults active from the start. */
  faults?: FaultRule[];
  /** Serve this file as every bulk query's result instead of executing the query (benchmarks). */
  preparedResult?: PreparedResult;
}

export interface RequestLogEntry {
  /** Simulator time of the request (ISO) and in ms. */
  time: string;
  at: number;
  method: string;
  path: string;
  kind: RequestKind;
  status: number;
  bulkOperationId?: string;
  fault?: string;
  throttled?: boolean;
}

/** The store as tests see it: enumerate expected data and mutate it between syncs. */
export interface StoreControl {
  list(type: ResourceType, options?: ListOptions): StoreEntry[];
  count(type: ResourceType, options?: ListOptions): number;
  update(type: ResourceType, spec: MutationSpec): string[];
  insert(type: ResourceType, count: number): string[];
  delete(type: ResourceType, spec: MutationSpec): string[];
  /** The underlying generator (advanced use). */
  readonly raw: Store;
}

export class SimulatorState {
  readonly clock: SimClock;
  readonly faults = new Faults();
  readonly tokens: Tokens;
  readonly buckets: CostBuckets;
  readonly files = new ResultFiles();
  readonly operations: BulkOperations;
  readonly shop: ShopInfo;
  readonly supportedVersions: readonly string[];
  store: Store;
  timings: JobTimings;
  baseUrl = 'http://127.0.0.1:0';
  log: RequestLogEntry[] = [];
  /** Finished bulk results by job identity (see runner). */
  readonly resultCache = new Map<string, CachedResult>();
  preparedResult: PreparedResult | undefined;
  private storeOptions: StoreOptions;

  constructor(readonly options: SimulatorOptions) {
    this.clock = new SimClock(options.clockStart ? Date.parse(options.clockStart) : undefined);
    const handle = options.shop ?? 'simulator-shop';
    this.shop = { name: handle, domain: `${handle}.myshopify.com`, currencyCode: options.shopCurrency ?? 'USD' };
    this.tokens = new Tokens(options.accessToken ?? 'simulator-token', { clientId: options.clientId ?? 'simulator-client-id', clientSecret: options.clientSecret ?? 'simulator-client-secret' });
    this.buckets = new CostBuckets(this.clock, { maximumAvailable: options.throttle?.maximumAvailable ?? 2000, restoreRate: options.throttle?.restoreRate ?? 100 });
    this.supportedVersions = options.supportedVersions ?? DEFAULT_SUPPORTED_VERSIONS;
    this.timings = { ...(options.fast ? FAST_TIMINGS : DEFAULT_TIMINGS), ...options.timings };
    this.storeOptions = { ...options };
    this.store = new Store(this.storeOptions, this.clock);
    for (const rule of options.faults ?? []) this.faults.add(rule);
    this.preparedResult = options.preparedResult;
    this.operations = new BulkOperations({
      clock: this.clock,
      files: this.files,
      timings: () => this.timings,
      baseUrl: () => this.baseUrl,
      start: (job) => this.preparedResult ? servePrepared(job, this.preparedResult, this.files, this.clock) : runJob(job, { cache: this.resultCache, store: () => this.store, clock: this.clock, files: this.files, timings: () => this.timings, shop: this.shop, operations: () => this.operations }),
    });
  }

  /** Fault rules become the fate of the job being created for this bulk query. */
  takeJobFate(query: string): JobFate {
    const action = this.faults.forJob(query);
    if (!action) return {};
    if (action.type === 'nullUrl') return { nullUrl: true };
    if (action.type === 'jobFailed') {
      return {
        failWith: action.errorCode,
        ...(action.afterObjects === undefined ? {} : { afterObjects: action.afterObjects }),
        ...(action.partialData === false ? { noPartialData: true } : {}),
      };
    }
    if (action.type === 'jobCanceled') return { canceledByOther: true, ...(action.afterObjects === undefined ? {} : { afterObjects: action.afterObjects }) };
    return {};
  }

  /** Replaces the store (new seed and/or sizes); mutations are dropped. */
  seed(options: StoreOptions): void {
    this.storeOptions = { ...this.storeOptions, ...options };
    this.store = new Store(this.storeOptions, this.clock);
  }

  /** Back to a fresh state: store overlay, jobs, faults, buckets, log; the clock is kept. */
  reset(options: StoreOptions = {}): void {
    this.operations.reset();
    this.faults.clear();
    this.buckets.reset();
    this.log = [];
    this.seed(options);
  }

  storeControl(): StoreControl {
    const state = this;
    return {
      list: (type, opts) => listEntries(this.store, type, opts),
      count: (type, opts) => listEntries(this.store, type, opts).length,
      update: (type, spec) => updateRecords(this.store, type, spec),
      insert: (type, count) => insertRecords(this.store, type, count),
      delete: (type, spec) => deleteRecords(this.store, type, spec),
      get raw() {
        return state.store;
      },
    };
  }

  setTimings(timings: Partial<JobTimings>): JobTimings {
    this.timings = { ...this.timings, ...timings };
    return this.timings;
  }

  jobs(): BulkOperationView[] {
    return this.operations.all().map((job) => this.operations.view(job));
  }

  foreignJob(holdMs: number): BulkOperationView {
    return this.operations.view(this.operations.foreign(holdMs));
  }

  /** Cancels a job as "someone else" would (e.g. from the admin). */
  cancelJob(id: string): BulkOperationView | null {
    const job: BulkJob | undefined = this.operations.find(id);
    if (!job) return null;
    this.operations.markCanceled(job);
    return this.operations.view(job);
  }

  record(entry: Omit<RequestLogEntry, 'time' | 'at'>): void {
    const at = this.clock.now();
    this.log.push({ time: isoSeconds(at), at, ...entry });
  }
}
