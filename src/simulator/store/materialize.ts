/** A plain-JSON copy of a record: child lists expanded one level, references reduced to their id. */
import type { Rec } from './types.js';

function plain(value: unknown, depth: number): unknown {
  if (typeof value === 'function') {
    if (depth > 1) return undefined;
    const result: unknown = (value as (args: Record<string, unknown>) => unknown)({});
    if (Array.isArray(result)) return result.map((item) => plain(item, depth + 1));
    if (result && typeof result === 'object') return { id: (result as Rec).id ?? null };
    return result ?? null;
  }
  if (Array.isArray(value)) return value.map((item) => plain(item, depth));
  if (value && typeof value === 'object') {
    const out: Rec = {};
    for (const [key, inner] of Object.entries(value)) {
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
