/**
 * Byte storage for an ungrouped result partitioned into buckets. Records are appended to one arena in
 * arrival order; when the arena is full it is sealed into a run: its records are reordered by bucket
 * (a counting sort, one copy) and the run is written to a temp file in one write. Buckets are read
 * back in groups of consecutive buckets, whose part of each run is contiguous: one read per run and
 * group. So buckets can be small (a small parsed tree at a time, which the garbage collector frees
 * young) while reading and writing stay a few large I/Os, and memory holds one arena and one group
 * whatever the size of the result.
 *
 * Within a bucket, records keep their arrival order (runs are in order, and the sort is stable).
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Run {
  /** The run's bytes when it stays in memory; undefined when it is in the file at `offset`. */
  bytes: Buffer | undefined;
  offset: number;
  /** Bucket b occupies [starts[b], starts[b + 1]) of the run. */
  starts: Uint32Array;
}

/** Consecutive buckets read together: bucket b's bytes are `ranges(b)` of `bytes`, in arrival order. */
export interface BucketGroup {
  first: number;
  end: number;
  bytes: Buffer;
  /** Per run: where its part of the group starts in `bytes`, and the run's bucket offsets. */
  parts: Array<{ at: number; starts: Uint32Array }>;
}

/** The first arena's size when the limit is larger. */
const MAX_FIRST_ARENA = 64 * 1024 * 1024;

export class BucketRuns {
  private arena = Buffer.allocUnsafe(0);
  private used = 0;
  /** Per record of the arena: its bucket and the arena offset where it ends. */
  private buckets = new Int32Array(1024);
  private ends = new Float64Array(1024);
  private count = 0;
  private readonly runs: Run[] = [];
  private file: { dir: string; fd: number; size: number } | undefined;
  private scratch = Buffer.allocUnsafe(0);
  private out = Buffer.allocUnsafe(0);

  constructor(
    readonly bucketCount: number,
    /** The arena's largest size; a single record larger than this gets an arena of its own. */
    private readonly arenaLimit: number,
    private readonly tempDir: string | undefined,
  ) {}

  get spilled(): boolean {
    return this.file !== undefined;
  }

  /**
   * Makes room for a record of `size` bytes at `position` of `buffer` (write it there, then `commit`).
   * May first seal the arena into a run on disk.
   */
  reserve(size: number): void {
    if (this.used + size <= this.arena.length) return;
    if (this.count > 0 && this.used + size > this.arenaLimit) this.seal(false);
    if (this.used + size > this.arena.length) {
      // Straight to the limit (pages are only touched as records arrive): growing step by step would
      // leave the smaller arenas as garbage that raises the peak RSS.
      const grown = Buffer.allocUnsafe(Math.max(this.used + size, Math.min(this.arenaLimit, Math.max(MAX_FIRST_ARENA, this.arena.length * 2))));
      this.arena.copy(grown, 0, 0, this.used);
      this.arena = grown;
    }
  }

  get buffer(): Buffer {
    return this.arena;
  }

  get position(): number {
    return this.used;
  }

  /** Records the bytes written at `position` up to `end` as one record of `bucket`. */
  commit(end: number, bucket: number): void {
    if (this.count === this.buckets.length) {
      const b = new Int32Array(this.count * 2);
      b.set(this.buckets);
      this.buckets = b;
      const e = new Float64Array(this.count * 2);
      e.set(this.ends);
      this.ends = e;
    }
    this.buckets[this.count] = bucket;
    this.ends[this.count++] = end;
    this.used = end;
  }

  /** Seals the arena into a run: on disk, or kept in memory when it is the last one (`final`). */
  private seal(final: boolean): void {
    const n = this.bucketCount;
    const starts = new Uint32Array(n + 1);
    const buckets = this.buckets;
    const ends = this.ends;
    let prev = 0;
    for (let i = 0; i < this.count; i++) {
      starts[buckets[i]! + 1]! += ends[i]! - prev;
      prev = ends[i]!;
    }
    for (let b = 0; b < n; b++) starts[b + 1]! += starts[b]!;
    // Runs written to disk reuse one buffer; the last run stays in memory in it.
    if (this.out.length < this.used) this.out = Buffer.allocUnsafe(final ? this.used : this.arena.length);
    const out = this.out.subarray(0, this.used);
    const at = starts.slice(0, n);
    prev = 0;
    for (let i = 0; i < this.count; i++) {
      const end = ends[i]!;
      const b = buckets[i]!;
      this.arena.copy(out, at[b]!, prev, end);
      at[b]! += end - prev;
      prev = end;
    }
    this.used = 0;
    this.count = 0;
    if (this.arena.length > this.arenaLimit) this.arena = Buffer.allocUnsafe(0);
    if (final) {
      this.arena = Buffer.allocUnsafe(0);
      this.out = Buffer.allocUnsafe(0);
      this.runs.push({ bytes: out, offset: 0, starts });
      return;
    }
    if (!this.file) {
      const dir = mkdtempSync(join(this.tempDir ?? tmpdir(), 'bulk-spill-'));
      this.file = { dir, fd: -1, size: 0 };
      this.file.fd = openSync(join(dir, 'runs.bin'), 'w+');
    }
    const file = this.file;
    // One synchronous write of the whole run: reading the download has to wait for it either way, and
    // an asynchronous write would need a second arena-sized buffer to keep filling meanwhile.
    for (let done = 0; done < out.length; ) done += writeSync(file.fd, out, done, out.length - done, file.size + done);
    this.runs.push({ bytes: undefined, offset: file.size, starts });
    file.size += out.length;
  }

  /**
   * Seals what is left; call once, after the last record. A result that stayed in memory keeps its
   * last run there; one already on disk writes it there too and reads its groups back into the
   * arena's memory, so reading needs no buffer of its own (the arena is free from now on).
   */
  finish(): void {
    if (this.count > 0) this.seal(!this.spilled);
    if (this.spilled) {
      this.scratch = this.arena;
      this.out = Buffer.allocUnsafe(0);
    }
    this.arena = Buffer.allocUnsafe(0);
    this.buckets = new Int32Array(0);
    this.ends = new Float64Array(0);
  }

  /** Total bytes of bucket b over all runs. */
  bucketBytes(b: number): number {
    let total = 0;
    for (const run of this.runs) total += run.starts[b + 1]! - run.starts[b]!;
    return total;
  }

  /** Consecutive buckets from `first` holding about `targetBytes` together (at least one), read into one buffer valid until the next call. */
  readGroup(first: number, targetBytes: number): BucketGroup {
    let end = first + 1;
    let total = this.bucketBytes(first);
    while (end < this.bucketCount) {
      const next = this.bucketBytes(end);
      if (total + next > targetBytes) break;
      total += next;
      end++;
    }
    if (this.scratch.length < total) this.scratch = Buffer.allocUnsafe(Math.max(total, Math.min(this.scratch.length * 2, targetBytes)));
    const parts: BucketGroup['parts'] = [];
    let at = 0;
    for (const run of this.runs) {
      const from = run.starts[first]!;
      const len = run.starts[end]! - from;
      if (len === 0) continue;
      parts.push({ at: at - from, starts: run.starts });
      if (run.bytes) run.bytes.copy(this.scratch, at, from, from + len);
      else {
        for (let done = 0; done < len; ) {
          const got = readSync(this.file!.fd, this.scratch, at + done, len - done, run.offset + from + done);
          if (got === 0) throw new Error(`the spill file ended early reading buckets ${first}..${end - 1}`);
          done += got;
        }
      }
      at += len;
    }
    return { first, end, bytes: this.scratch.subarray(0, total), parts };
  }

  /** Removes the temp file; safe to call more than once and after a failure. */
  dispose(): void {
    this.runs.length = 0;
    this.arena = Buffer.allocUnsafe(0);
    this.scratch = Buffer.allocUnsafe(0);
    this.out = Buffer.allocUnsafe(0);
    if (!this.file) return;
    const { dir, fd } = this.file;
    this.file = undefined;
    try {
      if (fd >= 0) closeSync(fd);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}
