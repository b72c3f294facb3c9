/**
 * CSV through csv-stringify: a header row, the Airbyte columns, then `_airbyte_data` (JSON) or one column
 * per top-level property of the stream's JSON Schema (nested values as JSON). With flattening, a field the
 * schema does not declare has no column: it is dropped and recorded in `_airbyte_meta.changes`.
 * Rows are stringified in batches, which is far cheaper than a call per row.
 */
import { stringify } from 'csv-stringify/sync';
import { AIRBYTE_COLUMNS, DATA_COLUMN, dataText, metaOf, nulledChange, type AirbyteRow } from '../records.js';
import type { OutputFormatWriter, PartEncoder } from './encoder.js';
import type { SpoolFile } from './spool.js';
import { TextOutput } from './text-output.js';

const BATCH_ROWS = 500;

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function schemaProperties(jsonSchema: Record<string, unknown>): string[] {
  const props = jsonSchema.properties;
  return props && typeof props === 'object' ? Object.keys(props) : [];
}

export function csvFormat(options: { flatten: boolean; gzip: boolean; gzipLevel: number }, jsonSchema: Record<string, unknown>): OutputFormatWriter {
  const fields = options.flatten ? schemaProperties(jsonSchema).filter((f) => !(AIRBYTE_COLUMNS as readonly string[]).includes(f)) : [];
  // A schema without properties cannot give columns: keep the record whole.
  const flatten = options.flatten && fields.length > 0;
  const known = new Set(fields);
  const columns = [...AIRBYTE_COLUMNS, ...(flatten ? fields : [DATA_COLUMN])];

  const toCells = (row: AirbyteRow): string[] => {
    if (flatten) for (const key of Object.keys(row.data)) if (!known.has(key)) row.changes.push(nulledChange(key));
    const head = [row.rawId, String(row.extractedAt), cell(row.generationId), JSON.stringify(metaOf(row))];
    return flatten ? [...head, ...fields.map((f) => cell(row.data[f]))] : [...head, dataText(row)];
  };

  return {
    extension: options.gzip ? '.csv.gz' : '.csv',
    contentType: options.gzip ? 'application/gzip' : 'text/csv',
    streamsAsWritten: true,
    createEncoder(spool: SpoolFile): PartEncoder {
      const out = new TextOutput(spool, options.gzip ? options.gzipLevel : undefined);
      let batch: string[][] = [];
      let header = true;
      const writeBatch = (): Promise<void> | undefined => {
        if (batch.length === 0 && !header) return undefined;
        const text = stringify(batch, { header, columns, eof: true });
        header = false;
        batch = [];
        return out.append(text);
      };
      return {
        append(row) {
          batch.push(toCells(row));
          return batch.length >= BATCH_ROWS ? writeBatch() : undefined;
        },
        get bytes() {
          return out.bytes + batch.length * 64;
        },
        async finish() {
          await writeBatch();
          await out.finish();
        },
        abort: () => out.abort(),
      };
    },
  };
}
