/**
 * The stored form of an ungrouped result's lines (spill.ts writes it, buckets are read back in it)
 * and the reassembly of one bucket from it. Kept apart from the spill's file handling so a parse
 * worker thread can assemble buckets without loading it.
 *
 * A stored record is the line's byte length (u32 LE), its line number (f64 LE) and its bytes. A block
 * holds consecutive buckets, each one's records contiguous and in file order.
 */
import { isUtf8 } from 'node:buffer';
import type { BulkNode } from '../streams/define.js';
import { ReassemblyError, attachChild, parseLine } from './assemble.js';

export const RECORD_HEADER = 12;

export interface BucketBlock {
  /** The records; its own ArrayBuffer, so it can be transferred to a worker. */
  bytes: Buffer;
  /** Bucket i of the block is `bytes[bounds[i], bounds[i + 1])`. */
  bounds: Uint32Array;
}

/** Writes a record's header at `at` of `buf`; the line's bytes go right after it. */
export function writeRecordHeader(buf: Buffer, at: number, length: number, lineNumber: number): void {
  buf.writeUInt32LE(length, at);
  buf.writeDoubleLE(lineNumber, at + 4);
}

/** The number of records in `bytes[from, to)`. */
export function countRecords(bytes: Buffer, from: number, to: number): number {
  let n = 0;
  for (let pos = from; pos < to; n++) pos += RECORD_HEADER + bytes.readUInt32LE(pos);
  return n;
}

/**
 * Parses one bucket's records (in file order, so a parent precedes its children) into trees. Lines
 * are decoded one by one: most are ASCII, which decodes several times faster than a bucket-sized
 * string that holds a few non-ASCII characters. A line whose parent is not before it in the bucket
 * is an error naming the line, never attached elsewhere.
 */
export function assembleBucket(bytes: Buffer, from: number, to: number, label: string): BulkNode[] {
  const roots: BulkNode[] = [];
  const index = new Map<string, BulkNode>();
  for (let pos = from; pos < to; ) {
    const length = bytes.readUInt32LE(pos);
    const lineNumber = bytes.readDoubleLE(pos + 4);
    const line = bytes.subarray(pos + RECORD_HEADER, pos + RECORD_HEADER + length);
    pos += RECORD_HEADER + length;
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
