/** Base timestamps (ms, whole seconds) of generated records, spread over the store's time span. */
import { unit } from '../rng.js';

export interface Span {
  startMs: number;
  endMs: number;
}

const DAY = 86_400_000;

function seconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** Records are created in index order, each in its own slot of the span, jittered inside the slot. */
export function createdAtFor(seed: number, stream: number, index: number, count: number, span: Span): number {
  const slot = (span.endMs - span.startMs) / Math.max(count, 1);
  return seconds(span.startMs + slot * (index + unit(seed, stream, index, 1)));
}

/** A third of records were never updated; the rest were, up to ~600 days later (never past the span). */
export function updatedAtFor(seed: number, stream: number, index: number, createdMs: number, span: Span): number {
  if (unit(seed, stream, index, 2) < 0.33) return createdMs;
  const delta = unit(seed, stream, index, 3) ** 2 * 600 * DAY;
  return seconds(Math.min(createdMs + delta, span.endMs));
}
