/** JSON Lines: one object per record, Airbyte columns first, then `_airbyte_data` or the fields at the root. */
import { DATA_COLUMN, metaOf, type AirbyteRow } from '../records.js';
import type { OutputFormatWriter, PartEncoder } from './encoder.js';
import type { SpoolFile } from './spool.js';
import { TextOutput } from './text-output.js';

export function jsonlLine(row: AirbyteRow, flatten: boolean): string {
  const airbyte = {
    _airbyte_raw_id: row.rawId,
    _airbyte_extracted_at: row.extractedAt,
    _airbyte_generation_id: row.generationId,
    _airbyte_meta: metaOf(row),
  };
  // Flattened: the record's fields at the root; an Airbyte column name in the data never overrides ours.
  if (flatten) return `${JSON.stringify({ ...airbyte, ...row.data, ...airbyte })}\n`;
  // The data's own JSON text when the reader kept it: serialising the object again costs as much as
  // parsing it did. The result is the same object `{...airbyte, _airbyte_data: data}` would give.
  if (row.dataJson !== undefined) return `${JSON.stringify(airbyte).slice(0, -1)},"${DATA_COLUMN}":${row.dataJson}}\n`;
  return `${JSON.stringify({ ...airbyte, [DATA_COLUMN]: row.data })}\n`;
}

export function jsonlFormat(options: { flatten: boolean; gzip: boolean; gzipLevel: number }): OutputFormatWriter {
  return {
    extension: options.gzip ? '.jsonl.gz' : '.jsonl',
    contentType: options.gzip ? 'application/gzip' : 'application/x-ndjson',
    createEncoder(spool: SpoolFile): PartEncoder {
      const out = new TextOutput(spool, options.gzip ? options.gzipLevel : undefined);
      return {
        append: (row) => out.append(jsonlLine(row, options.flatten)),
        get bytes() {
          return out.bytes;
        },
        finish: () => out.finish(),
        abort: () => out.abort(),
      };
    },
  };
}
