/**
 * Cost-aware pacing for Shopify's leaky bucket. Every GraphQL response reports
 * `extensions.cost.throttleStatus {maximumAvailable, currentlyAvailable, restoreRate}`; from it we
 * estimate what the bucket holds now (it refills at restoreRate per second) and wait before a request
 * whose cost would take the bucket below a reserve, instead of waiting to be answered THROTTLED.
 */
import { setTimeout as sleepTimer } from 'node:timers/promises';

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface CostInfo {
  requestedQueryCost?: number | null;
  actualQueryCost?: number | null;
  throttleStatus?: ThrottleStatus;
}

export interface CostThrottle {
  /** Waits until the bucket can pay `cost` and keep the reserve; then books the cost. */
  acquire(cost: number, signal?: AbortSignal): Promise<void>;
  /**
   * Takes the bucket level the server reported for a request that booked `booked` points (released
   * from the in-flight total whether or not the answer carried a level). Points booked by requests
   * still in flight are subtracted from the report: the server may not have charged them yet.
   */
  update(cost: CostInfo | undefined, booked?: number): void;
  /** Milliseconds until `cost` points (plus the reserve) are available; 0 while the bucket is unknown. */
  delayFor(cost: number): number;
}

export interface CostThrottleOptions {
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Fraction of the bucket kept in reserve (default 0.1). */
  reserveFraction?: number;
}

function isThrottleStatus(v: unknown): v is ThrottleStatus {
  const s = v as Record<string, unknown> | null;
  return !!s && typeof s.maximumAvailable === 'number' && typeof s.currentlyAvailable === 'number' && typeof s.restoreRate === 'number';
}

export function createCostThrottle(options: CostThrottleOptions = {}): CostThrottle {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => sleepTimer(ms, undefined, signal ? { signal } : {}));
  const reserveFraction = options.reserveFraction ?? 0.1;
  let bucket: { max: number; level: number; rate: number; at: number } | undefined;
  let inFlight = 0;

  const levelNow = (): number => {
    if (!bucket) return Number.POSITIVE_INFINITY;
    return Math.min(bucket.max, bucket.level + (bucket.rate * (now() - bucket.at)) / 1000);
  };
  const delayFor = (cost: number): number => {
    if (!bucket) return 0;
    if (bucket.rate <= 0) return 1000;
    const needed = Math.min(bucket.max, cost + bucket.max * reserveFraction);
    const missing = needed - levelNow();
    return missing <= 0 ? 0 : Math.ceil((missing / bucket.rate) * 1000);
  };

  return {
    async acquire(cost, signal) {
      for (let wait = delayFor(cost); wait > 0; wait = delayFor(cost)) await sleep(wait, signal);
      inFlight += cost;
      if (bucket) {
        bucket.level = levelNow() - cost;
        bucket.at = now();
      }
    },
    update(cost, booked = 0) {
      inFlight = Math.max(0, inFlight - booked);
      const s = cost?.throttleStatus;
      if (!isThrottleStatus(s)) return;
      bucket = { max: s.maximumAvailable, level: s.currentlyAvailable - inFlight, rate: s.restoreRate, at: now() };
    },
    delayFor,
  };
}
