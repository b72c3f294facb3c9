/**
 * Extraction with the per-line work in worker threads. The main thread only cuts the result into
 * blocks, posts them to the pool and takes the results back in the order it posted them, as
 * pre-serialised RECORD lines:
 * - a grouped result is cut from the download at root lines (blocks.ts);
 * - an ungrouped result is bucketed first (spill.ts), then read back in blocks of whole buckets.
 * The guarantees are those of the single-threaded path: errors name their line, and a file whose
 * line count is short fails reconciliation before its last records go out.
 */
import { SerializedRecords } from '../../protocol/serialized.js';
import type { BulkExtraction } from '../streams/define.js';
import { BlockCutter } from './blocks.js';
import { BLOCK_BYTES, parseBlock, type BlockLayout, type BlockTask } from './parse-block.js';
import { MAX_WORKER_BLOCK_BYTES, type BlockResult, type ParsePool } from './parse-pool.js';
import type { SpillAssembler } from './spill.js';

/** Blocks posted per worker and not yet taken back: one being parsed, one waiting. */
export const IN_FLIGHT_PER_WORKER = 2;

export interface ParallelOptions extends BlockTask {
  pool: ParsePool;
  /** For a block too large for a worker's heap, parsed here instead. */
  extraction: BulkExtraction;
  blockBytes?: number;
  /** Called with the number of lines the workers read, before the last block's records are released. */
  reconcile(lines: number): void;
}

export interface ParallelStats {
  lines: number;
  roots: number;
  records: number;
}

interface PostedBlock {
  bytes: Buffer;
  layout: BlockLayout;
}

/** Posts the blocks as they come, a bounded number at a time, and yields their records in order. */
async function* inOrder(blocks: AsyncIterable<PostedBlock> | Iterable<PostedBlock>, options: ParallelOptions): AsyncGenerator<SerializedRecords, ParallelStats> {
  const stats: ParallelStats = { lines: 0, roots: 0, records: 0 };
  const inflight: Array<Promise<BlockResult>> = [];
  const limit = options.pool.size * IN_FLIGHT_PER_WORKER;
  const task: BlockTask = { stream: options.stream, label: options.label, context: options.context };
  const take = async (): Promise<SerializedRecords> => {
    const r = await inflight.shift()!;
    stats.lines += r.lines;
    stats.roots += r.roots;
    stats.records += r.records;
    return new SerializedRecords(r.bytes, r.records, () => options.pool.recycle(r.bytes));
  };
  for await (const block of blocks) {
    // Only a huge root makes a block this large: its trees would not fit a worker's capped heap.
    // A parse error becomes a rejection, taken in order like a worker's.
    const result =
      block.bytes.byteLength > MAX_WORKER_BLOCK_BYTES
        ? new Promise<BlockResult>((resolve) => resolve(parseBlock(block.bytes, block.layout, task, options.extraction)))
        : options.pool.parse(block.bytes, block.layout, task);
    // Awaited later, in order; until then a rejection must not count as unhandled.
    result.catch(() => undefined);
    inflight.push(result);
    while (inflight.length >= limit) {
      const out = await take();
      if (out.count > 0) yield out;
    }
  }
  while (inflight.length > 1) {
    const out = await take();
    if (out.count > 0) yield out;
  }
  const last = inflight.length > 0 ? await take() : undefined;
  // Verify before the last records go out, so a short file never completes its slice.
  options.reconcile(stats.lines);
  if (last && last.count > 0) yield last;
  return stats;
}

async function* cutAtRoots(source: AsyncIterable<Buffer>, blockBytes: number, pool: ParsePool): AsyncGenerator<PostedBlock> {
  const cutter = new BlockCutter(blockBytes, (size) => pool.blockBuffer(size, blockBytes));
  for await (const chunk of source) {
    for (const block of cutter.push(chunk)) yield { bytes: block.bytes, layout: { kind: 'lines', firstLine: block.firstLine } };
  }
  const rest = cutter.finish();
  if (rest) yield { bytes: rest.bytes, layout: { kind: 'lines', firstLine: rest.firstLine } };
}

function* bucketBlocks(spill: SpillAssembler, blockBytes: number, pool: ParsePool): Generator<PostedBlock> {
  for (const { bytes, bounds } of spill.blocks(blockBytes, (size) => pool.blockBuffer(size, blockBytes))) yield { bytes, layout: { kind: 'buckets', bounds } };
}

/** A grouped result, straight from the download. */
export function extractParallel(source: AsyncIterable<Buffer>, options: ParallelOptions): AsyncGenerator<SerializedRecords, ParallelStats> {
  return inOrder(cutAtRoots(source, options.blockBytes ?? BLOCK_BYTES, options.pool), options);
}

/** An ungrouped result whose first pass is done (`spill.finish()` called): its buckets, in blocks. */
export function extractBucketsParallel(spill: SpillAssembler, options: ParallelOptions): AsyncGenerator<SerializedRecords, ParallelStats> {
  return inOrder(bucketBlocks(spill, options.blockBytes ?? BLOCK_BYTES, options.pool), options);
}
