/**
 * The simulator's clock. It runs with real time, shifted by an offset that tests move with `set` and
 * `advance`; everything time-based (job lifecycle, url expiry, token expiry, bucket refill) reads it.
 */
export class SimClock {
  private offsetMs = 0;
  private frozenAt: number | undefined;

  constructor(startMs?: number) {
    if (startMs !== undefined) this.offsetMs = startMs - Date.now();
  }

  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }

  /** Jump to an absolute time (ms since epoch). Keeps running unless frozen. */
  set(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt = ms;
    else this.offsetMs = ms - Date.now();
  }

  advance(ms: number): void {
    this.set(this.now() + ms);
  }

  /** Stop (or restart) the clock at its current time. */
  freeze(frozen: boolean): void {
    if (frozen && this.frozenAt === undefined) this.frozenAt = this.now();
    if (!frozen && this.frozenAt !== undefined) {
      this.offsetMs = this.frozenAt - Date.now();
      this.frozenAt = undefined;
    }
  }

  isFrozen(): boolean {
    return this.frozenAt !== undefined;
  }
}

/** Shopify's DateTime format: seconds precision, UTC, `Z` (reference §1.2). */
export function isoSeconds(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  let date = DAY_CACHE.get(day);
  if (date === undefined) {
    date = new Date(day * 86_400_000).toISOString().slice(0, 11);
    if (DAY_CACHE.size > 100_000) DAY_CACHE.clear();
    DAY_CACHE.set(day, date);
  }
  const secs = Math.floor((ms - day * 86_400_000) / 1000);
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const s = secs % 60;
  return `${date}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}Z`;
}

const DAY_CACHE = new Map<number, string>();
