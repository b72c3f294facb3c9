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
import { extractBucketsParallel, extractParallel, type ParallelOptions } from './extract-parallel.js';
import type { ParsePool } from './parse-pool.js';
import type { SerializedRecords } from '../../protocol/serialized.js';
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
  /**
   * Worker threads, with the registered stream name they load the extraction by (it must be the same
   * definition as `extraction`). Absent: the main thread does all the work.
   */
  parallel?: { pool: ParsePool; stream: string; blockBytes?: number };
}

/** A batch of records; `bytes`: the characters of the bulk lines they were made from, when known. */
export type RecordBatch = SourceRecord[] & { bytes?: number };

export interface ExtractStats {
  lines: number;
  roots: number;
  records: number;
}

function recordsOf(node: BulkNode, options: ExtractOptions): SourceRecord[] {
  checkExpectedChildren(node, options.extraction.expectedChildren?.(node), options.label);
  return [...options.extraction.toRecords(node, options.recordContext)];
}

/**
 * Buckets for an ungrouped result: about 1,000 lines each, whatever the size of the result. A bucket
 * is assembled in sub-buckets of ~50 lines (bucket-block.ts), so its size only sets how many buckets
 * each run of the spill indexes: few enough that the index stays small at 2 GB (a few MB).
 */
function bucketsFor(lines: number): number {
  return Math.max(16, Math.ceil(lines / 1000));
}

function reconcile(lines: number, options: ExtractOptions): void {
  if (lines !== options.objectCount) {
    throw new CountMismatchError(
      `${options.label}: the bulk result has ${lines} lines but Shopify reported objectCount ${options.objectCount}; the download is incomplete, so the slice is not counted as read`,
    );
  }
}

/**
 * Yields the records of a result in batches; returns the counts. `url` null means no results.
 *
 * A dispatcher, not a generator itself: the path taken is the generator returned, with no layer
 * that every batch passes through. Such a layer (one generator for all paths, delegating with
 * `yield*`) ran only a few bytecodes per batch, so V8 optimised it late, after ~85% of a 2 GB read,
 * in a 75 ms compile of all the paths at once.
 */
export function extractRecords(url: string | null, options: ExtractOptions): AsyncGenerator<RecordBatch | SerializedRecords, ExtractStats> {
  if (url === null) return noResults(options);
  const source = downloadChunks(url, { ...options.download, label: options.label });
  const parallel: ParallelOptions | undefined = options.parallel && {
    ...options.parallel,
    extraction: options.extraction,
    label: options.label,
    context: options.recordContext,
    reconcile: (lines) => reconcile(lines, options),
  };
  if (!options.grouped) return extractUngrouped(source, options, parallel);
  return parallel ? extractParallel(source, parallel) : extractGrouped(source, options);
}

/** A result without lines: no records, only the check that Shopify reported none either. */
async function* noResults(options: ExtractOptions): AsyncGenerator<never, ExtractStats> {
  reconcile(0, options);
  return { lines: 0, roots: 0, records: 0 };
}

/** A grouped result on the main thread: each root is complete once the next root's line arrives. */
async function* extractGrouped(source: AsyncIterable<Buffer>, options: ExtractOptions): AsyncGenerator<RecordBatch, ExtractStats> {
  const stats: ExtractStats = { lines: 0, roots: 0, records: 0 };
  const assembler = new GroupedAssembler(options.label);
  // Size of the root being assembled, in characters of its lines: what its records weigh downstream.
  let rootBytes = 0;
  for await (const batch of lineBatches(source)) {
    const out: RecordBatch = [];
    let outBytes = 0;
    let n = batch.firstLine;
    for (const line of batch.lines) {
      const lineNumber = n++;
      if (line === '') continue;
      stats.lines++;
      const done = assembler.push(parseLine(line, lineNumber, options.label), lineNumber);
      if (done) {
        stats.roots++;
        out.push(...recordsOf(done, options));
        outBytes += rootBytes;
        rootBytes = 0;
      }
      rootBytes += line.length;
    }
    if (out.length > 0) {
      stats.records += out.length;
      out.bytes = outBytes;
      yield out;
    }
  }
  const last = assembler.finish();
  // Verify before the last record goes out, so a short file never completes its slice.
  reconcile(stats.lines, options);
  if (last) {
    stats.roots++;
    const out: RecordBatch = recordsOf(last, options);
    stats.records += out.length;
    out.bytes = rootBytes;
    if (out.length > 0) yield out;
  }
  return stats;
}

/** An ungrouped result: spilled into buckets by root on a first pass, then assembled bucket by bucket. */
async function* extractUngrouped(source: AsyncIterable<Buffer>, options: ExtractOptions, parallel: ParallelOptions | undefined): AsyncGenerator<RecordBatch | SerializedRecords, ExtractStats> {
  const stats: ExtractStats = { lines: 0, roots: 0, records: 0 };
  const spill = new SpillAssembler(options.label, { bucketCount: bucketsFor(options.objectCount), ...options.spill });
  try {
    // Raw chunks go straight to the bucketing: lines are decoded and parsed once, in their bucket.
    for await (const chunk of source) spill.push(chunk);
    stats.lines = spill.finish();
    reconcile(stats.lines, options);
    // The workers count the lines they parse again: a line lost between the passes fails the slice.
    if (parallel) return yield* extractBucketsParallel(spill, parallel);
    // One batch per sub-bucket (about ten roots), then a turn of the event loop so the output drains:
    // without it, assembly never waits on I/O, records pile up in the output channel long enough to
    // be promoted to the old generation, and the heap grows by ~100 MB (and GC time with it).
    for (const roots of spill.buckets()) {
      const out: SourceRecord[] = [];
      for (const root of roots) {
        stats.roots++;
        for (const record of recordsOf(root, options)) out.push(record);
      }
      if (out.length > 0) {
        stats.records += out.length;
        yield out;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return stats;
  } finally {
    spill.dispose();
  }
}
