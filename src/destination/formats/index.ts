/**
 * Picks the output format writer for a stream from the config and the stream's JSON Schema. Each format's
 * module (and its library: hyparquet-writer, csv-stringify) is imported only when the config asks for it:
 * loading Parquet's alone costs ~0.1 s of CPU at every start.
 */
import type { OutputFormat } from '../config.js';
import type { OutputFormatWriter } from './encoder.js';

export type { OutputFormatWriter, PartEncoder } from './encoder.js';
export { SpoolFile, type SpooledPart } from './spool.js';

export type FormatWriterFactory = (jsonSchema: Record<string, unknown>) => OutputFormatWriter;

export async function loadFormatWriter(format: OutputFormat): Promise<FormatWriterFactory> {
  switch (format.type) {
    case 'JSONL': {
      const { jsonlFormat } = await import('./jsonl.js');
      return () => jsonlFormat(format);
    }
    case 'CSV': {
      const { csvFormat } = await import('./csv.js');
      return (jsonSchema) => csvFormat(format, jsonSchema);
    }
    case 'Parquet': {
      const { parquetFormat } = await import('./parquet.js');
      return (jsonSchema) => parquetFormat(format, jsonSchema);
    }
  }
}
