/**
 * The stored form of an ungrouped result's lines (spill.ts writes it, buckets are read back in it)
 * and the reassembly of one bucket from it. Kept apart from the spill's file handling so a parse
 * worker thread can assemble buckets without loading it.
 *
 * A stored record is the line's byte length, its line number and the hash of its root's id (u32 LE
 * each), then its bytes. A block holds consecutive buckets, each one's records contiguous and in file order.
 */
import { isUtf8 } from 'node:buffer';
import type { BulkNode } from '../streams/define.js';
import { ReassemblyError, attachChild, parseLine } from './assemble.js';

export const RECORD_HEADER = 12;
/** The largest line number a record can hold. */
export const MAX_LINE_NUMBER = 0xffffffff;
/**
 * Lines per sub-bucket: a bucket is assembled in parts of about this many lines, split by root, so
 * the trees alive at once stay small enough to die in the young generation. Measured at 100 MB of
 * orders: ~50 lines at once took ~5 % less CPU and ~15 MB less RSS than ~200.
 */
export const SUB_BUCKET_LINES = 50;

export interface BucketBlock {
  /** The records; its own ArrayBuffer, so it can be transferred to a worker. */
  bytes: Buffer;
  /** Bucket i of the block is `bytes[bounds[i], bounds[i + 1])`. */
  bounds: Uint32Array;
}

/** Writes a record's header at `at` of `buf`; the line's bytes go right after it. */
export function writeRecordHeader(buf: Buffer, at: number, length: number, lineNumber: number, rootHash: number): void {
  buf.writeUInt32LE(length, at);
  buf.writeUInt32LE(lineNumber, at + 4);
  buf.writeUInt32LE(rootHash, at + 8);
}

/** The number of records in `bytes[from, to)`. */
export function countRecords(bytes: Buffer, from: number, to: number): number {
  let n = 0;
  for (let pos = from; pos < to; n++) pos += RECORD_HEADER + bytes.readUInt32LE(pos);
  return n;
}

/**
 * Parses one bucket's records into trees, in sub-buckets of about `SUB_BUCKET_LINES` lines (all the
 * lines of a root fall in the same one), and yields each sub-bucket's roots. Records are taken in
 * file order, so a parent precedes its children; a line whose parent is not before it in its
 * sub-bucket is an error naming the line, never attached elsewhere.
 */
export function* assembleBucket(bytes: Buffer, from: number, to: number, label: string): Generator<BulkNode[]> {
  const offsets: number[] = [];
  for (let pos = from; pos < to; pos += RECORD_HEADER + bytes.readUInt32LE(pos)) offsets.push(pos);
  if (offsets.length <= SUB_BUCKET_LINES) {
    if (offsets.length > 0) yield assemble(bytes, offsets, label);
    return;
  }
  // The bucket came from the hash's remainder; the sub-bucket takes the high bits of a multiplicative
  // mix of it, which that remainder does not decide.
  const bits = Math.min(16, Math.ceil(Math.log2(offsets.length / SUB_BUCKET_LINES)));
  const subs = 1 << bits;
  const lists: number[][] = Array.from({ length: subs }, () => []);
  for (const pos of offsets) lists[Math.imul(bytes.readUInt32LE(pos + 8), 0x9e3779b1) >>> (32 - bits)]!.push(pos);
  for (const list of lists) if (list.length > 0) yield assemble(bytes, list, label);
}

/**
 * Parses records (in file order) into trees. Lines are decoded one by one: most are ASCII, which
 * decodes several times faster than a bucket-sized string that holds a few non-ASCII characters.
 */
function assemble(bytes: Buffer, offsets: number[], label: string): BulkNode[] {
  const roots: BulkNode[] = [];
  const index = new Map<string, BulkNode>();
  for (const pos of offsets) {
    const length = bytes.readUInt32LE(pos);
    const lineNumber = bytes.readUInt32LE(pos + 4);
    const line = bytes.subarray(pos + RECORD_HEADER, pos + RECORD_HEADER + length);
    if (!isUtf8(line)) throw new ReassemblyError(`${label}: line ${lineNumber} of the bulk result is not valid UTF-8`);
    const node = parseLine(line.toString('utf8'), lineNumber, label);
    const parentId = node.__parentId;
    if (parentId === undefined) roots.push(node);
    else {
      if (typeof parentId !== 'string') throw new ReassemblyError(`${label}: line ${lineNumber} has a non-string __parentId`);
      delete node.__parentId;
      const parent = index.get(parentId);
      if (!parent) throw new ReassemblyError(`${label}: line ${lineNumber} is a child of ${parentId}, which is not in the bulk result before it`);
      attachChild(parent, node);
    }
    if (typeof node.id === 'string') index.set(node.id, node);
  }
  return roots;
}
