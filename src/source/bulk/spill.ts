/**
 * Reassembly of ungrouped bulk results, where a child is only guaranteed to come somewhere after its
 * parent, so no root is complete before the end of the file. Lines are partitioned by their root's id
 * into buckets (`BucketRuns`: in memory while small, in a temp file past `memoryLimitBytes`), then each
 * bucket is assembled on its own, so memory holds one bucket rather than the whole result.
 *
 * The first pass works on the downloaded bytes: it frames lines, reads `id`/`__parentId` from the
 * bytes where Shopify's layout allows, and copies each line into its bucket without decoding it. The
 * buckets are then read back in blocks of whole buckets (`blocks`), which are assembled on this
 * thread (`buckets`) or in parse workers (bucket-block.ts); each line is validated (UTF-8), decoded
 * and parsed once, then.
 *
 * To find a line's root, a grandchild's parent must map to its root: for queries with two nested
 * levels the ids of first-level children are remembered (one short string each). A line whose parent
 * is in no tree is an error naming the line, never attached elsewhere.
 */
import { isUtf8 } from 'node:buffer';
import type { BulkNode } from '../streams/define.js';
import { ReassemblyError, parseLine } from './assemble.js';
import { MAX_LINE_NUMBER, RECORD_HEADER, assembleBucket, writeRecordHeader, type BucketBlock } from './bucket-block.js';
import { BucketRuns, type BucketGroup } from './bucket-runs.js';
import { BLOCK_BYTES } from './parse-block.js';
import { canonicalKey, hashKey, hashOf, keyOf, lineIds } from './line-ids.js';

export interface SpillOptions {
  /** Nested connection levels under the root (1: children only, 2: grandchildren too). */
  nestedDepth: number;
  bucketCount?: number;
  memoryLimitBytes?: number;
  /** Bytes of consecutive buckets read back from the runs at once (default 8 MB). */
  readBytes?: number;
  tempDir?: string;
}

const NEWLINE = 0x0a;
const CR = 0x0d;
/** Buckets [first, end) of a group copied into a block of their own, each bucket's records contiguous. */
function copyBlock(group: BucketGroup, first: number, end: number, size: number, alloc: (size: number) => Buffer): BucketBlock {
  const bytes = alloc(size).subarray(0, size);
  const bounds = new Uint32Array(end - first + 1);
  let at = 0;
  for (let b = first; b < end; b++) {
    bounds[b - first] = at;
    for (const part of group.parts) {
      const from = part.at + part.starts[b]!;
      const to = part.at + part.starts[b + 1]!;
      if (to > from) at += group.bytes.copy(bytes, at, from, to);
    }
  }
  bounds[end - first] = at;
  return { bytes, bounds };
}

export class SpillAssembler {
  private readonly bucketCount: number;
  private readonly runs: BucketRuns;
  /** First-level child id (canonical key) → its root's hash, for queries with grandchildren. */
  private readonly intermediate = new Map<string, number>();
  private pending: Buffer[] = [];
  private lineNumber = 1;
  private count = 0;

  constructor(
    private readonly label: string,
    private readonly options: SpillOptions,
  ) {
    this.bucketCount = Math.max(1, options.bucketCount ?? 64);
    this.runs = new BucketRuns(this.bucketCount, options.memoryLimitBytes ?? 8 * 1024 * 1024, options.tempDir);
  }

  /** Whether lines went to disk (for tests and logs). */
  get spilled(): boolean {
    return this.runs.spilled;
  }

  /** Frames a chunk of the file into lines and files each under its root's bucket. A line may span chunks. */
  push(raw: Uint8Array | string): void {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    let start = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (this.pending.length > 0) {
      if (nl < 0) {
        this.pending.push(chunk);
        return;
      }
      this.pending.push(chunk.subarray(0, nl));
      const line = Buffer.concat(this.pending);
      this.pending = [];
      this.line(line, 0, line.length);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    while (nl >= 0) {
      this.line(chunk, start, nl);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  /** Ends the first pass (a last line without a newline counts); returns the number of non-empty lines. */
  finish(): number {
    if (this.pending.length > 0) {
      const line = Buffer.concat(this.pending);
      this.pending = [];
      this.line(line, 0, line.length);
    }
    this.runs.finish();
    this.intermediate.clear();
    return this.count;
  }

  private line(buf: Buffer, start: number, end: number): void {
    const lineNumber = this.lineNumber++;
    if (end > start && buf[end - 1] === CR) end--; // tolerate CRLF
    if (end === start) return; // empty lines are skipped but counted
    if (lineNumber > MAX_LINE_NUMBER) throw new ReassemblyError(`${this.label}: the bulk result has more than ${MAX_LINE_NUMBER} lines, more than an ungrouped result can be reassembled from`);
    this.count++;
    const hash = this.rootHash(buf, start, end, lineNumber);
    const runs = this.runs;
    const length = end - start;
    runs.reserve(length + RECORD_HEADER);
    const arena = runs.buffer;
    const at = runs.position;
    writeRecordHeader(arena, at, length, lineNumber, hash);
    buf.copy(arena, at + RECORD_HEADER, start, end);
    runs.commit(at + RECORD_HEADER + length, hash % this.bucketCount);
  }

  /** The hash of a line's root id, read from the line's bytes where Shopify's layout allows (parsing it here as well would double the cost). */
  private rootHash(buf: Buffer, start: number, end: number, lineNumber: number): number {
    const deep = this.options.nestedDepth >= 2;
    const ids = lineIds(buf, start, end, deep);
    if (ids) {
      if (!ids.parent) return hashOf(ids.id!);
      if (!deep) return hashOf(ids.parent);
      return this.childRoot(keyOf(ids.parent), ids.id ? keyOf(ids.id) : undefined);
    }
    const bytes = buf.subarray(start, end);
    if (!isUtf8(bytes)) throw new ReassemblyError(`${this.label}: line ${lineNumber} of the bulk result is not valid UTF-8`);
    const node = parseLine(bytes.toString('utf8'), lineNumber, this.label);
    const { id, __parentId: parent } = node;
    if (parent === undefined) {
      if (typeof id !== 'string') throw new ReassemblyError(`${this.label}: line ${lineNumber} is a root without an id`);
      return hashKey(canonicalKey(id));
    }
    if (typeof parent !== 'string') throw new ReassemblyError(`${this.label}: line ${lineNumber} has a non-string __parentId`);
    if (!deep) return hashKey(canonicalKey(parent));
    return this.childRoot(canonicalKey(parent), typeof id === 'string' ? canonicalKey(id) : undefined);
  }

  /** A child's root when grandchildren exist: its parent is either a root or a remembered child. */
  private childRoot(parentKey: string, idKey: string | undefined): number {
    const known = this.intermediate.get(parentKey);
    const root = known ?? hashKey(parentKey);
    // Deeper queries remember every level but the last; two levels only need first-level children.
    if (idKey !== undefined && (known === undefined || this.options.nestedDepth > 2)) this.intermediate.set(idKey, root);
    return root;
  }

  /**
   * The buckets in blocks of consecutive buckets of about `targetBytes` together (at least one
   * bucket; empty blocks are skipped), each in a buffer of its own (from `alloc`: at least `size`
   * bytes over a whole ArrayBuffer); call after `finish`, then
   * `dispose` (also on error). The blocks can be assembled anywhere (`assembleBucket`), a worker included.
   */
  *blocks(targetBytes = BLOCK_BYTES, alloc: (size: number) => Buffer = (size) => Buffer.allocUnsafeSlow(size)): Generator<BucketBlock> {
    for (let b = 0; b < this.bucketCount; ) {
      const group = this.runs.readGroup(b, this.options.readBytes ?? 8 * 1024 * 1024);
      while (b < group.end) {
        const first = b;
        let size = 0;
        for (; b < group.end; b++) {
          const next = this.runs.bucketBytes(b);
          if (b > first && size + next > targetBytes) break;
          size += next;
        }
        if (size > 0) yield copyBlock(group, first, b, size, alloc);
      }
    }
  }

  /** The assembled roots of each bucket, a sub-bucket at a time (see `assembleBucket`), on this thread. */
  *buckets(): Generator<BulkNode[]> {
    for (const { bytes, bounds } of this.blocks()) {
      for (let i = 0; i + 1 < bounds.length; i++) {
        for (const roots of assembleBucket(bytes, bounds[i]!, bounds[i + 1]!, this.label)) if (roots.length > 0) yield roots;
      }
    }
  }

  /** Removes temp files; safe after a failure and more than once. */
  dispose(): void {
    this.pending = [];
    this.intermediate.clear();
    this.runs.dispose();
  }
}
