/** The leaky bucket of query cost, one per access token (reference §3.1; default 2000 / 100 per second). */
import type { SimClock } from './clock.js';

export interface ThrottleConfig {
  maximumAvailable: number;
  restoreRate: number;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export const MAX_SINGLE_QUERY_COST = 1000;

export class CostBuckets {
  private buckets = new Map<string, { available: number; at: number }>();

  constructor(private readonly clock: SimClock, public config: ThrottleConfig) {}

  private bucket(token: string): { available: number; at: number } {
    const now = this.clock.now();
    let bucket = this.buckets.get(token);
    if (!bucket) {
      bucket = { available: this.config.maximumAvailable, at: now };
      this.buckets.set(token, bucket);
    }
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    bucket.available = Math.min(this.config.maximumAvailable, bucket.available + elapsed * this.config.restoreRate);
    bucket.at = now;
    return bucket;
  }

  /** Takes `cost` points if available; false when the request must be THROTTLED. */
  take(token: string, cost: number): boolean {
    const bucket = this.bucket(token);
    if (bucket.available < cost) return false;
    bucket.available -= cost;
    return true;
  }

  refund(token: string, points: number): void {
    const bucket = this.bucket(token);
    bucket.available = Math.min(this.config.maximumAvailable, bucket.available + points);
  }

  /** Empties (or sets) a token's bucket, e.g. to provoke THROTTLED in tests. */
  setAvailable(token: string, available: number): void {
    this.bucket(token).available = available;
  }

  status(token: string): ThrottleStatus {
    return {
      maximumAvailable: this.config.maximumAvailable,
      currentlyAvailable: Math.floor(this.bucket(token).available),
      restoreRate: this.config.restoreRate,
    };
  }

  reset(): void {
    this.buckets.clear();
  }
}
