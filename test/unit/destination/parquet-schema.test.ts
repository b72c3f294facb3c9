import { describe, expect, it } from 'vitest';
import { parquetColumn } from '../../../src/destination/formats/parquet-schema.js';

const cast = (schema: Record<string, unknown>, value: unknown) => parquetColumn('f', schema).cast(value);

describe('Parquet column typing and casting', () => {
  it('maps JSON Schema types to Parquet types', () => {
    expect(parquetColumn('a', { type: ['null', 'integer'] }).element).toMatchObject({ type: 'INT64', repetition_type: 'OPTIONAL' });
    expect(parquetColumn('a', { type: 'number' }).element.type).toBe('DOUBLE');
    expect(parquetColumn('a', { type: ['integer', 'number'] }).element.type).toBe('DOUBLE');
    expect(parquetColumn('a', { type: 'string', format: 'date' }).element.converted_type).toBe('DATE');
    expect(parquetColumn('a', { type: 'string', format: 'date-time' }).element.converted_type).toBe('TIMESTAMP_MICROS');
    expect(parquetColumn('a', { type: ['string', 'integer'] }).element.converted_type).toBe('JSON');
    expect(parquetColumn('a', { type: 'object' }).element.converted_type).toBe('JSON');
  });

  it('coerces values that fit losslessly and refuses the rest', () => {
    expect(cast({ type: 'integer' }, 5)).toEqual({ ok: true, value: 5n });
    expect(cast({ type: 'integer' }, '1.00')).toEqual({ ok: true, value: 1n });
    expect(cast({ type: 'integer' }, 1.5)).toEqual({ ok: false });
    expect(cast({ type: 'integer' }, '9223372036854775808')).toEqual({ ok: false });
    expect(cast({ type: 'number' }, '12.50')).toEqual({ ok: true, value: 12.5 });
    expect(cast({ type: 'number' }, true)).toEqual({ ok: false });
    expect(cast({ type: 'boolean' }, 'true')).toEqual({ ok: false });
    expect(cast({ type: 'string' }, 3)).toEqual({ ok: false });
    expect(cast({ type: 'string', format: 'date-time' }, '2024-05-01T00:00:00.123456Z')).toEqual({ ok: true, value: 1_714_521_600_123_456n });
    expect(cast({ type: 'string', format: 'date-time' }, 'soon')).toEqual({ ok: false });
    expect(cast({ type: 'string', format: 'date' }, '1970-01-03')).toEqual({ ok: true, value: 2 });
    expect(cast({ type: 'integer' }, null)).toEqual({ ok: true, value: null });
  });
});
