/** Picks the output format writer for a stream from the config and the stream's JSON Schema. */
import type { OutputFormat } from '../config.js';
import { csvFormat } from './csv.js';
import type { OutputFormatWriter } from './encoder.js';
import { jsonlFormat } from './jsonl.js';
import { parquetFormat } from './parquet.js';

export type { OutputFormatWriter, PartEncoder } from './encoder.js';
export { SpoolFile, type SpooledPart } from './spool.js';

export function formatWriter(format: OutputFormat, jsonSchema: Record<string, unknown>): OutputFormatWriter {
  switch (format.type) {
    case 'JSONL':
      return jsonlFormat(format);
    case 'CSV':
      return csvFormat(format, jsonSchema);
    case 'Parquet':
      return parquetFormat(format, jsonSchema);
  }
}
