/**
 * The row every format writes, as Airbyte's destinations (Destinations V2) write it today:
 * `_airbyte_raw_id`, `_airbyte_extracted_at`, `_airbyte_generation_id`, `_airbyte_meta` ({changes, sync_id}),
 * then `_airbyte_data` or the record's fields at the root.
 */
import { randomUUID } from 'node:crypto';
import type { AirbyteRecordMessage, AirbyteRecordMessageMetaChange } from '../protocol/messages.js';
import { RawRecordMessage } from '../protocol/record-line.js';

export type MetaChange = AirbyteRecordMessageMetaChange;

export interface AirbyteRow {
  rawId: string;
  extractedAt: number;
  generationId: number | null;
  syncId: number | null;
  /** The record's own `meta.changes` plus any the destination adds (a value nulled by a typed format). */
  changes: MetaChange[];
  /** The record's fields; for a record read on the stdin fast path, parsed on first access. */
  readonly data: Record<string, unknown>;
  /** `data` as the JSON bytes it arrived in, when known: JSON writers copy them instead of serialising `data`. */
  rawData?: Buffer;
}

export const AIRBYTE_COLUMNS = ['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_generation_id', '_airbyte_meta'] as const;
export const DATA_COLUMN = '_airbyte_data';

export function toRow(record: AirbyteRecordMessage, ids: { generationId: number | null; syncId: number | null }): AirbyteRow {
  const changes = Array.isArray(record.meta?.changes) ? [...record.meta.changes] : [];
  const head = { rawId: randomUUID(), extractedAt: record.emitted_at, generationId: ids.generationId, syncId: ids.syncId, changes };
  // A fast-path record keeps its data bytes; its fields are parsed only if a writer reads them.
  if (record instanceof RawRecordMessage) return { ...head, rawData: record.rawData, get data() { return record.data; } };
  return { ...head, data: record.data };
}

/** `row.data` as JSON text: the text it arrived in when known, else serialised. */
export function dataText(row: AirbyteRow): string {
  return row.rawData?.toString('utf8') ?? JSON.stringify(row.data);
}

export function metaOf(row: AirbyteRow): { changes: MetaChange[]; sync_id: number | null } {
  return { changes: row.changes, sync_id: row.syncId };
}

/** A value the destination had to null (it did not fit the column), recorded so it is never silent. */
export function nulledChange(field: string): MetaChange {
  return { field, change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' };
}
