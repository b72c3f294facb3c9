/** A plain-JSON copy of a record: lazy fields evaluated, child lists expanded, references reduced to their id. */
import type { Rec } from './types.js';

function plain(value: unknown, depth: number): unknown {
  if (typeof value === 'function') {
    if (depth > 2) return undefined;
    return plain((value as (args: Record<string, unknown>) => unknown)({}), depth + 1);
  }
  if (Array.isArray(value)) return value.map((item) => plain(item, depth));
  if (value && typeof value === 'object') {
    const record = value as Rec;
    if (typeof record.__load === 'function') return { id: record.id ?? null };
    const out: Rec = {};
    for (const [key, inner] of Object.entries(record)) {
      if (key.startsWith('__') && key !== '__typename') continue;
      const copy = plain(inner, depth);
      if (copy !== undefined) out[key] = copy;
    }
    return out;
  }
  return value;
}

export function materialize(record: Rec): Rec {
  return plain(record, 0) as Rec;
}
