/**
 * Parquet through hyparquet-writer: the Airbyte columns, then one typed column per property of the
 * stream's JSON Schema (see parquet-schema.ts). Rows are buffered column-wise up to the row-group size,
 * encoded, and flushed to the spool file in chunks, so a part never sits whole in memory. A value that
 * does not fit its column is written as null and recorded in `_airbyte_meta.changes`.
 */
import { gzipSync } from 'node:zlib';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet-writer';
import { AIRBYTE_COLUMNS, DATA_COLUMN, metaOf, nulledChange, type AirbyteRow } from '../records.js';
import type { OutputFormatWriter, PartEncoder } from './encoder.js';
import { jsonColumn, parquetColumn, parquetDataColumns, type ParquetColumn } from './parquet-schema.js';
import type { SpoolFile } from './spool.js';

export type ParquetCodec = 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP';
const FLUSH_BYTES = 1024 * 1024;

/** A ByteWriter that hands its bytes to the spool file whenever it holds more than 1 MiB. */
class SpoolByteWriter extends ByteWriter {
  constructor(private readonly spool: SpoolFile) {
    super(FLUSH_BYTES * 2);
  }
  override ensure(size: number): void {
    if (this.index > FLUSH_BYTES) this.flush();
    super.ensure(size);
  }
  flush(): void {
    if (this.index === 0) return;
    this.spool.write(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }
  override finish(): void {
    this.flush();
  }
}

export function parquetColumns(jsonSchema: Record<string, unknown>): ParquetColumn[] {
  const data = parquetDataColumns(jsonSchema, new Set<string>(AIRBYTE_COLUMNS));
  return [
    parquetColumn('_airbyte_raw_id', { type: 'string' }),
    {
      name: '_airbyte_extracted_at',
      element: { name: '_airbyte_extracted_at', repetition_type: 'OPTIONAL', type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } },
      cast: (v) => ({ ok: true, value: typeof v === 'number' ? BigInt(Math.trunc(v)) : null }),
    },
    parquetColumn('_airbyte_generation_id', { type: 'integer' }),
    jsonColumn('_airbyte_meta'),
    ...(data.length > 0 ? data : [jsonColumn(DATA_COLUMN)]),
  ];
}

export function parquetFormat(options: { codec: ParquetCodec; rowGroupSize: number }, jsonSchema: Record<string, unknown>): OutputFormatWriter {
  const columns = parquetColumns(jsonSchema);
  const dataColumns = columns.slice(AIRBYTE_COLUMNS.length);
  const wholeRecord = dataColumns[0]?.name === DATA_COLUMN && dataColumns.length === 1 && !(jsonSchema.properties && DATA_COLUMN in (jsonSchema.properties as object));
  const known = new Set(dataColumns.map((c) => c.name));
  const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }, ...columns.map((c) => c.element)];

  return {
    extension: '.parquet',
    contentType: 'application/vnd.apache.parquet',
    streamsAsWritten: false,
    createEncoder(spool: SpoolFile): PartEncoder {
      const bytes = new SpoolByteWriter(spool);
      const writer = new ParquetWriter({
        writer: bytes,
        schema,
        codec: options.codec,
        compressors: { GZIP: (input: Uint8Array) => gzipSync(input) },
        createdBy: 'destination-gcs',
      });
      let buffers: unknown[][] = columns.map(() => []);
      let rows = 0;

      const writeGroup = async (): Promise<void> => {
        if (rows === 0) return;
        const columnData = columns.map((c, i) => ({ name: c.name, data: buffers[i] ?? [] }));
        buffers = columns.map(() => []);
        const n = rows;
        rows = 0;
        await writer.write({ columnData, rowGroupSize: n });
        bytes.flush();
      };

      return {
        append(row: AirbyteRow) {
          const values: unknown[] = [];
          if (wholeRecord) values.push(row.data);
          else {
            for (const c of dataColumns) {
              const cast = c.cast(row.data[c.name]);
              if (cast.ok) values.push(cast.value);
              else {
                values.push(null);
                row.changes.push(nulledChange(c.name));
              }
            }
            for (const key of Object.keys(row.data)) if (!known.has(key)) row.changes.push(nulledChange(key));
          }
          const head = [row.rawId, BigInt(Math.trunc(row.extractedAt)), row.generationId === null ? null : BigInt(row.generationId), metaOf(row)];
          const all = [...head, ...values];
          for (let i = 0; i < all.length; i++) buffers[i]?.push(all[i]);
          rows++;
          return rows >= options.rowGroupSize ? writeGroup() : undefined;
        },
        get bytes() {
          return spool.size + bytes.index;
        },
        async finish() {
          await writeGroup();
          writer.finish();
        },
        abort() {
          buffers = [];
        },
      };
    },
  };
}
