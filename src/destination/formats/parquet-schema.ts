/**
 * Parquet columns typed from a stream's JSON Schema. Each top-level property becomes one optional column:
 * integer → INT64, number → DOUBLE, boolean → BOOLEAN, string → UTF8 (date-time → TIMESTAMP micros UTC,
 * date → DATE), anything else (objects, arrays, unions of several types) → JSON. `cast` converts a value
 * for its column, or reports that it does not fit, so the caller can null it and record the change.
 */
import type { SchemaElement } from 'hyparquet-writer';

export type Cast = { ok: true; value: unknown } | { ok: false };

export interface ParquetColumn {
  name: string;
  element: SchemaElement;
  cast(value: unknown): Cast;
}

const NULL: Cast = { ok: true, value: null };
const MISFIT: Cast = { ok: false };
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function types(schema: Record<string, unknown>): string[] {
  const t = schema.type;
  const list = Array.isArray(t) ? t.map(String) : typeof t === 'string' ? [t] : [];
  return list.filter((x) => x !== 'null');
}

function toInteger(value: unknown): Cast {
  let n: bigint;
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) return MISFIT;
    n = BigInt(value);
  } else if (typeof value === 'string' && /^-?\d+(\.0+)?$/.test(value.trim())) {
    n = BigInt(value.trim().replace(/\.0+$/, ''));
  } else return MISFIT;
  return n < INT64_MIN || n > INT64_MAX ? MISFIT : { ok: true, value: n };
}

function toNumber(value: unknown): Cast {
  if (typeof value === 'number') return { ok: true, value };
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return { ok: true, value: Number(value) };
  return MISFIT;
}

function toTimestampMicros(value: unknown): Cast {
  if (typeof value !== 'string') return MISFIT;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return MISFIT;
  const fraction = /\.(\d{4,6})/.exec(value)?.[1]; // keep microseconds Date.parse drops
  const extraMicros = fraction ? BigInt(fraction.padEnd(6, '0').slice(3, 6)) : 0n;
  return { ok: true, value: BigInt(ms) * 1000n + (ms < 0 ? -extraMicros : extraMicros) };
}

function toDate(value: unknown): Cast {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return MISFIT;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return Number.isNaN(ms) ? MISFIT : { ok: true, value: Math.floor(ms / 86_400_000) };
}

function column(name: string, element: Omit<SchemaElement, 'name' | 'repetition_type'>, cast: (v: unknown) => Cast): ParquetColumn {
  return { name, element: { name, repetition_type: 'OPTIONAL', ...element }, cast: (v) => (v === null || v === undefined ? NULL : cast(v)) };
}

export function jsonColumn(name: string): ParquetColumn {
  return column(name, { type: 'BYTE_ARRAY', converted_type: 'JSON' }, (v) => ({ ok: true, value: v }));
}

export function parquetColumn(name: string, schema: Record<string, unknown>): ParquetColumn {
  const t = types(schema);
  if (t.length !== 1) {
    // integer and number together are a number
    if (t.length === 2 && t.includes('integer') && t.includes('number')) return column(name, { type: 'DOUBLE' }, toNumber);
    return jsonColumn(name);
  }
  switch (t[0]) {
    case 'integer':
      return column(name, { type: 'INT64', converted_type: 'INT_64' }, toInteger);
    case 'number':
      return column(name, { type: 'DOUBLE' }, toNumber);
    case 'boolean':
      return column(name, { type: 'BOOLEAN' }, (v) => (typeof v === 'boolean' ? { ok: true, value: v } : MISFIT));
    case 'string':
      if (schema.format === 'date-time') {
        return column(
          name,
          { type: 'INT64', converted_type: 'TIMESTAMP_MICROS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
          toTimestampMicros,
        );
      }
      if (schema.format === 'date') return column(name, { type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } }, toDate);
      return column(name, { type: 'BYTE_ARRAY', converted_type: 'UTF8' }, (v) => (typeof v === 'string' ? { ok: true, value: v } : MISFIT));
    default:
      return jsonColumn(name);
  }
}

/** One column per top-level property, in the schema's order. */
export function parquetDataColumns(jsonSchema: Record<string, unknown>, reserved: ReadonlySet<string>): ParquetColumn[] {
  const props = (jsonSchema.properties ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(props)
    .filter(([name]) => !reserved.has(name))
    .map(([name, schema]) => parquetColumn(name, schema && typeof schema === 'object' ? schema : {}));
}
