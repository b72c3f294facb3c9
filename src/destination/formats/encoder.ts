/** What every output format provides: an encoder per object part, its extension and content type. */
import type { AirbyteRow } from '../records.js';
import type { SpoolFile } from './spool.js';

export interface PartEncoder {
  /** Encodes one row; a returned promise means: wait before appending more (backpressure). */
  append(row: AirbyteRow): Promise<void> | undefined;
  /** Bytes of output so far (drives rotation at the object size). */
  readonly bytes: number;
  /** Writes what is buffered and the format's trailer (gzip footer, Parquet footer). */
  finish(): Promise<void>;
  /** Drops the part (the sync failed). */
  abort(): void;
}

export interface OutputFormatWriter {
  /** `.jsonl.gz`, `.csv`, `.parquet`, ... */
  extension: string;
  contentType: string;
  /**
   * The encoder writes its part as rows come, in small pieces, and waits on `SpoolFile.backlog`: the
   * part's upload can then stream while the part is written. (Parquet writes whole row groups at once.)
   */
  streamsAsWritten: boolean;
  createEncoder(spool: SpoolFile): PartEncoder;
}
