/** JSON Lines: one object per record, Airbyte columns first, then `_airbyte_data` or the fields at the root. */
import { DATA_COLUMN, metaOf, type AirbyteRow } from '../records.js';
import type { OutputFormatWriter, PartEncoder } from './encoder.js';
import type { SpoolFile } from './spool.js';
import { TextOutput } from './text-output.js';

function airbyteColumns(row: AirbyteRow) {
  return {
    _airbyte_raw_id: row.rawId,
    _airbyte_extracted_at: row.extractedAt,
    _airbyte_generation_id: row.generationId,
    _airbyte_meta: metaOf(row),
  };
}

/**
 * A row's line, in pieces to append in order. With the data's own JSON bytes (the reader kept them)
 * and no flattening, they are copied between the Airbyte columns and the closing brace: serialising
 * the object again costs as much as parsing it did. The result is the text `{...airbyte,
 * _airbyte_data: data}` would serialise to, apart from whitespace or key order inside the data as sent.
 */
export function jsonlPieces(row: AirbyteRow, flatten: boolean): [string] | [string, Buffer, string] {
  if (!flatten && row.rawData !== undefined) return [`${JSON.stringify(airbyteColumns(row)).slice(0, -1)},"${DATA_COLUMN}":`, row.rawData, '}\n'];
  return [jsonlLine(row, flatten)];
}

/** A row's line as one string, its data serialised from the fields. */
export function jsonlLine(row: AirbyteRow, flatten: boolean): string {
  const airbyte = airbyteColumns(row);
  // Flattened: the record's fields at the root; an Airbyte column name in the data never overrides ours.
  if (flatten) return `${JSON.stringify({ ...airbyte, ...row.data, ...airbyte })}\n`;
  return `${JSON.stringify({ ...airbyte, [DATA_COLUMN]: row.data })}\n`;
}

export function jsonlFormat(options: { flatten: boolean; gzip: boolean; gzipLevel: number }): OutputFormatWriter {
  return {
    extension: options.gzip ? '.jsonl.gz' : '.jsonl',
    contentType: options.gzip ? 'application/gzip' : 'application/x-ndjson',
    streamsAsWritten: true,
    createEncoder(spool: SpoolFile): PartEncoder {
      const out = new TextOutput(spool, options.gzip ? options.gzipLevel : undefined);
      return {
        append(row) {
          let wait: Promise<void> | undefined;
          for (const piece of jsonlPieces(row, options.flatten)) wait = out.append(piece) ?? wait;
          return wait;
        },
        get bytes() {
          return out.bytes;
        },
        finish: () => out.finish(),
        abort: () => out.abort(),
      };
    },
  };
}
