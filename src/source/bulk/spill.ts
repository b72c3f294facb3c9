/**
 * Reassembly of ungrouped bulk results, where a child is only guaranteed to come somewhere after its
 * parent, so no root is complete before the end of the file. Lines are partitioned by their root's id
 * into buckets (`BucketRuns`: in memory while small, in a temp file past `memoryLimitBytes`), then each
 * bucket is assembled on its own, so memory holds one bucket rather than the whole result.
 *
 * The first pass works on the downloaded bytes: it frames lines, reads `id`/`__parentId` from the
 * bytes where Shopify's layout allows, and copies each line into its bucket without decoding it. Each
 * line is validated (UTF-8), decoded and parsed once, when its bucket is assembled.
 *
 * To find a line's root, a grandchild's parent must map to its root: for queries with two nested
 * levels the ids of first-level children are remembered (one short string each). A line whose parent
 * is in no tree is an error naming the line, never attached elsewhere.
 */
import { isUtf8 } from 'node:buffer';
import type { BulkNode } from '../streams/define.js';
import { ReassemblyError, attachChild, parseLine } from './assemble.js';
import { BucketRuns, type BucketGroup } from './bucket-runs.js';
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
/** A stored record is the line's byte length (u32), its line number (f64) and its bytes. */
const HEADER = 12;

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
    this.count++;
    const bucket = this.rootHash(buf, start, end, lineNumber) % this.bucketCount;
    const runs = this.runs;
    const length = end - start;
    runs.reserve(length + HEADER);
    const arena = runs.buffer;
    const at = runs.position;
    arena.writeUInt32LE(length, at);
    arena.writeDoubleLE(lineNumber, at + 4);
    buf.copy(arena, at + HEADER, start, end);
    runs.commit(at + HEADER + length, bucket);
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

  /** The assembled roots of each bucket in turn; call after `finish`, then `dispose` (also on error). */
  *buckets(): Generator<BulkNode[]> {
    for (let b = 0; b < this.bucketCount; ) {
      const group = this.runs.readGroup(b, this.options.readBytes ?? 8 * 1024 * 1024);
      for (; b < group.end; b++) {
        const roots = this.assemble(group, b);
        if (roots.length > 0) yield roots;
      }
    }
  }

  /**
   * Parses a bucket's records (in file order, so a parent precedes its children) into trees. Lines are
   * decoded one by one: most are ASCII, which decodes several times faster than a bucket-sized string
   * that holds a few non-ASCII characters.
   */
  private assemble(group: BucketGroup, b: number): BulkNode[] {
    const roots: BulkNode[] = [];
    const index = new Map<string, BulkNode>();
    const label = this.label;
    const bytes = group.bytes;
    for (const part of group.parts) {
      const end = part.at + part.starts[b + 1]!;
      for (let pos = part.at + part.starts[b]!; pos < end; ) {
        const length = bytes.readUInt32LE(pos);
        const lineNumber = bytes.readDoubleLE(pos + 4);
        const line = bytes.subarray(pos + HEADER, pos + HEADER + length);
        pos += HEADER + length;
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
    }
    return roots;
  }

  /** Removes temp files; safe after a failure and more than once. */
  dispose(): void {
    this.pending = [];
    this.intermediate.clear();
    this.runs.dispose();
  }
}
