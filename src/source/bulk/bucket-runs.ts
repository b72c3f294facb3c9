/**
 * Byte storage for an ungrouped result partitioned into buckets. Records are appended to one arena in
 * arrival order; when the arena is full it is sealed into a run: its records are reordered by bucket
 * (a counting sort, one copy) and the run is written to a temp file in one write. A bucket is read
 * back as the concatenation of its slice of every run, so reading and writing are a few large I/Os
 * rather than one per line, and memory holds one arena whatever the size of the result.
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
  starts: Float64Array;
}

const MIN_ARENA = 64 * 1024;

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
      const grown = Buffer.allocUnsafe(Math.max(this.used + size, Math.min(this.arenaLimit, Math.max(MIN_ARENA, this.arena.length * 2))));
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
    const starts = new Float64Array(n + 1);
    const buckets = this.buckets;
    const ends = this.ends;
    let prev = 0;
    for (let i = 0; i < this.count; i++) {
      starts[buckets[i]! + 1]! += ends[i]! - prev;
      prev = ends[i]!;
    }
    for (let b = 0; b < n; b++) starts[b + 1]! += starts[b]!;
    // A run written to disk reuses one buffer; the last run stays in memory in a buffer of its own.
    if (final || this.out.length < this.used) this.out = Buffer.allocUnsafe(final ? this.used : this.arena.length);
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

  /** Seals what is left; call once, after the last record. */
  finish(): void {
    if (this.count > 0) this.seal(true);
    this.buckets = new Int32Array(0);
    this.ends = new Float64Array(0);
  }

  /** Bucket `b`'s records, in arrival order, as one buffer (valid until the next call). */
  read(b: number): Buffer {
    let total = 0;
    let only: Run | undefined;
    let parts = 0;
    for (const run of this.runs) {
      const len = run.starts[b + 1]! - run.starts[b]!;
      if (len > 0) {
        total += len;
        only = run;
        parts++;
      }
    }
    if (parts === 0) return Buffer.alloc(0);
    if (parts === 1 && only!.bytes) return only!.bytes.subarray(only!.starts[b]!, only!.starts[b + 1]!);
    if (this.scratch.length < total) this.scratch = Buffer.allocUnsafe(Math.max(total, Math.min(this.scratch.length * 2, 64 << 20)));
    let at = 0;
    for (const run of this.runs) {
      const start = run.starts[b]!;
      const len = run.starts[b + 1]! - start;
      if (len === 0) continue;
      if (run.bytes) run.bytes.copy(this.scratch, at, start, start + len);
      else {
        for (let done = 0; done < len; ) {
          const got = readSync(this.file!.fd, this.scratch, at + done, len - done, run.offset + start + done);
          if (got === 0) throw new Error(`spill file ended early reading bucket ${b}`);
          done += got;
        }
      }
      at += len;
    }
    return this.scratch.subarray(0, total);
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
