/**
 * From a finished job's result URL to records: streamed download, line framing, reassembly (grouped
 * or spilled), the stream's per-parent truncation check and its record mapping, then reconciliation
 * of the lines read with the job's objectCount. A short file is an error, never a short slice.
 */
import { ConnectorError } from '../../runtime/errors.js';
import { lineBatches } from '../../protocol/lines.js';
import type { BulkExtraction, BulkNode, RecordContext, SourceRecord } from '../streams/define.js';
import { GroupedAssembler, checkExpectedChildren, parseLine } from './assemble.js';
import { downloadChunks, type DownloadOptions } from './download.js';
import { SpillAssembler, type SpillOptions } from './spill.js';

export class CountMismatchError extends ConnectorError {
  constructor(message: string) {
    super(message, { failureType: 'transient_error' });
    this.name = 'CountMismatchError';
  }
}

export interface ExtractOptions {
  label: string;
  extraction: BulkExtraction;
  recordContext: RecordContext;
  /** Whether the file groups each root's descendants directly below it. */
  grouped: boolean;
  /** The job's objectCount: the number of lines the file must have. */
  objectCount: number;
  download: Omit<DownloadOptions, 'label'>;
  spill: SpillOptions;
}

export interface ExtractStats {
  lines: number;
  roots: number;
  records: number;
}

function recordsOf(node: BulkNode, options: ExtractOptions): SourceRecord[] {
  checkExpectedChildren(node, options.extraction.expectedChildren?.(node), options.label);
  return [...options.extraction.toRecords(node, options.recordContext)];
}

/** Buckets for an ungrouped result: about 2,000 lines each (a few MB of JSON, the most one bucket holds parsed), 64 to 512. */
function bucketsFor(lines: number): number {
  return Math.min(512, Math.max(64, Math.ceil(lines / 2000)));
}

function reconcile(lines: number, options: ExtractOptions): void {
  if (lines !== options.objectCount) {
    throw new CountMismatchError(
      `${options.label}: the bulk result has ${lines} lines but Shopify reported objectCount ${options.objectCount}; the download is incomplete, so the slice is not counted as read`,
    );
  }
}

/** Yields the records of a result in batches; returns the counts. `url` null means no results. */
export async function* extractRecords(url: string | null, options: ExtractOptions): AsyncGenerator<SourceRecord[], ExtractStats> {
  const stats: ExtractStats = { lines: 0, roots: 0, records: 0 };
  if (url === null) {
    reconcile(0, options);
    return stats;
  }
  const source = downloadChunks(url, { ...options.download, label: options.label });
  if (options.grouped) {
    const assembler = new GroupedAssembler(options.label);
    for await (const batch of lineBatches(source)) {
      const out: SourceRecord[] = [];
      let n = batch.firstLine;
      for (const line of batch.lines) {
        const lineNumber = n++;
        if (line === '') continue;
        stats.lines++;
        const done = assembler.push(parseLine(line, lineNumber, options.label), lineNumber);
        if (done) {
          stats.roots++;
          out.push(...recordsOf(done, options));
        }
      }
      if (out.length > 0) {
        stats.records += out.length;
        yield out;
      }
    }
    const last = assembler.finish();
    // Verify before the last record goes out, so a short file never completes its slice.
    reconcile(stats.lines, options);
    if (last) {
      stats.roots++;
      const out = recordsOf(last, options);
      stats.records += out.length;
      if (out.length > 0) yield out;
    }
    return stats;
  }
  const spill = new SpillAssembler(options.label, { bucketCount: bucketsFor(options.objectCount), ...options.spill });
  try {
    // Raw chunks go straight to the bucketing: lines are decoded and parsed once, in their bucket.
    for await (const chunk of source) spill.push(chunk);
    stats.lines = spill.finish();
    reconcile(stats.lines, options);
    let out: SourceRecord[] = [];
    for (const roots of spill.buckets()) {
      for (const root of roots) {
        stats.roots++;
        for (const record of recordsOf(root, options)) out.push(record);
      }
      if (out.length >= 500) {
        stats.records += out.length;
        yield out;
        out = [];
      }
    }
    if (out.length > 0) {
      stats.records += out.length;
      yield out;
    }
    return stats;
  } finally {
    spill.dispose();
  }
}
