/**
 * A faithful local Shopify Admin API for tests, demos and benchmarks.
 *
 *   const sim = await startSimulator({ orders: 1000, fast: true });
 *   // point the source at sim.url (its api_base_url), token sim.accessToken
 *   sim.store.update('orders', { count: 10 });   // bump updatedAt of 10 orders
 *   await sim.close();
 */
import type { Server } from 'node:http';
import type { ThrottleConfig } from './bucket.js';
import type { FaultRule, ActiveFault } from './faults.js';
import type { BulkOperationView, JobTimings } from './bulk/types.js';
import { createSimulatorServer, listen } from './http/server.js';
import { SimulatorState } from './simulator.js';
import type { RequestLogEntry, SimulatorOptions, StoreControl } from './simulator.js';
import type { StoreOptions } from './store/store.js';
import type { PreparedResult } from './bulk/prepared.js';

export type { SimulatorOptions, RequestLogEntry, StoreControl } from './simulator.js';
export type { FaultRule, FaultAction, RequestKind } from './faults.js';
export type { BulkOperationView, BulkStatus, BulkErrorCode, JobTimings } from './bulk/types.js';
export type { ResourceType } from './store/ids.js';
export type { ListOptions, StoreEntry } from './store/query.js';
export type { MutationSpec } from './store/mutate.js';
export type { StoreOptions } from './store/store.js';
export type { PreparedResult } from './bulk/prepared.js';
export { loadAdminSchema, resolveSchemaVersion } from './schema.js';

export interface Simulator {
  /** Base URL (`http://127.0.0.1:PORT`): the source's `api_base_url`. */
  readonly url: string;
  readonly port: number;
  /** Shop handle and the all-scopes access token. */
  readonly shop: string;
  readonly accessToken: string;
  /** `${url}/admin/api/${version}/graphql.json`. */
  graphqlUrl(version?: string): string;
  /** Expected data and mutations between syncs. */
  readonly store: StoreControl;
  /** The simulator clock (ms since epoch). */
  readonly clock: {
    now(): number;
    set(at: string | number): void;
    advance(ms: number): void;
    freeze(frozen: boolean): void;
  };
  readonly faults: {
    add(rule: FaultRule): number;
    remove(id: number): void;
    clear(): void;
    list(): readonly ActiveFault[];
  };
  /** Resets store overlay, jobs, faults, buckets and the request log (and reseeds with `options`). */
  reset(options?: StoreOptions): void;
  /** Replaces the store with a new seed and/or sizes. */
  seed(options: StoreOptions): void;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Creates or updates a token with exactly these scopes (default: the main token). */
  setScopes(scopes: readonly string[], token?: string): void;
  /** Adds a token, optionally expiring at an ISO instant of the simulator clock. */
  addToken(token: string, scopes: readonly string[], expiresAt?: string): void;
  setTimings(timings: Partial<JobTimings>): JobTimings;
  setThrottle(config: Partial<ThrottleConfig>): void;
  /** Serves this file as every later bulk query's result (undefined: execute queries again). */
  setPreparedResult(result: PreparedResult | undefined): void;
  /** Sets a token's currently available cost points (e.g. 0 to provoke THROTTLED). */
  setAvailableCost(available: number, token?: string): void;
  /** All bulk operations as they look now. */
  jobs(): BulkOperationView[];
  /** Writer progress of a job regardless of its visible status (for tests). */
  jobProgress(id: string): { written: boolean; stopped: boolean; objects: number; roots: number; bytes: number } | null;
  /** A job started by someone else that holds a query slot for `holdMs` simulator ms. */
  foreignJob(holdMs: number): BulkOperationView;
  /** Cancels a job as someone else would. */
  cancelJob(id: string): BulkOperationView | null;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const state = new SimulatorState(options);
  const server: Server = createSimulatorServer(state);
  const port = await listen(server, options.port ?? 0);
  const url = `http://127.0.0.1:${port}`;
  state.baseUrl = url;
  const accessToken = options.accessToken ?? 'simulator-token';
  let closed = false;
  return {
    url,
    port,
    shop: state.shop.name,
    accessToken,
    graphqlUrl: (version = '2026-07') => `${url}/admin/api/${version}/graphql.json`,
    get store() {
      return state.storeControl();
    },
    clock: {
      now: () => state.clock.now(),
      set: (at) => state.clock.set(typeof at === 'number' ? at : Date.parse(at)),
      advance: (ms) => state.clock.advance(ms),
      freeze: (frozen) => state.clock.freeze(frozen),
    },
    faults: {
      add: (rule) => state.faults.add(rule),
      remove: (id) => state.faults.remove(id),
      clear: () => state.faults.clear(),
      list: () => state.faults.list(),
    },
    reset: (storeOptions) => state.reset(storeOptions),
    seed: (storeOptions) => state.seed(storeOptions),
    requests: () => [...state.log],
    clearRequests: () => {
      state.log = [];
    },
    setScopes: (scopes, token = accessToken) => state.tokens.setScopes(token, scopes),
    addToken: (token, scopes, expiresAt) => state.tokens.set(token, scopes, expiresAt ? Date.parse(expiresAt) : undefined),
    setTimings: (timings) => state.setTimings(timings),
    setThrottle: (config) => {
      Object.assign(state.buckets.config, config);
    },
    setPreparedResult: (result) => {
      state.preparedResult = result;
    },
    setAvailableCost: (available, token = accessToken) => state.buckets.setAvailable(token, available),
    jobs: () => state.jobs(),
    jobProgress: (id) => {
      const job = state.operations.find(id);
      return job ? { written: job.written, stopped: job.writerStopped, objects: job.objects, roots: job.roots, bytes: job.bytes } : null;
    },
    foreignJob: (holdMs) => state.foreignJob(holdMs),
    cancelJob: (id) => state.cancelJob(id),
    close: async () => {
      if (closed) return;
      closed = true;
      const writersStopped = state.operations.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await writersStopped;
      state.files.cleanup();
    },
  };
}
