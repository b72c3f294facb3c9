/**
 * The per-line work of one block of a result: decode, parse, reassemble, check truncated
 * connections, map to records and serialise the RECORD messages. A grouped result's block is a run
 * of lines cut at root lines (blocks.ts); an ungrouped result's block is a run of buckets read back
 * from its spill (bucket-block.ts). Runs in a worker thread (parse-worker.ts); plain functions, so
 * they are tested in-process too.
 */
import { isUtf8 } from 'node:buffer';
import { LineFormatError } from '../../protocol/lines.js';
import { recordMessage } from '../../protocol/messages.js';
import { serializeMessage } from '../../protocol/writer.js';
import type { BulkExtraction, BulkNode, RecordContext } from '../streams/define.js';
import { GroupedAssembler, checkExpectedChildren, parseLine } from './assemble.js';
import { assembleBucket, countRecords } from './bucket-block.js';
import type { BufferShelf } from './buffer-shelf.js';

export interface BlockTask {
  stream: string;
  label: string;
  context: RecordContext;
}

/**
 * Block size. Each worker holds a block's bytes, its decoded text and its output at once, and a
 * block in flight waits with its bytes: at 100 MB of orders, 2 MB blocks peaked at ~235 MB RSS and
 * 1 MB blocks at ~195 MB; the CPU time difference was within the noise of the runs.
 */
export const BLOCK_BYTES = 1024 * 1024;

/** How a block's bytes are laid out: lines of a grouped result, or buckets of an ungrouped one. */
export type BlockLayout = { kind: 'lines'; firstLine: number } | { kind: 'buckets'; bounds: Uint32Array };

export interface BlockOutput {
  /**
   * The RECORD messages, one JSON line each, as UTF-8 in a buffer that owns its ArrayBuffer (it is
   * transferred to the main thread, which writes it as it is: no copy, no encoding there).
   */
  bytes: Buffer;
  records: number;
  /** Non-empty lines read (what objectCount counts). */
  lines: number;
  roots: number;
}

/** The number of the first line of `bytes` that is not valid UTF-8 (the whole block is known to be invalid). */
function invalidLine(bytes: Buffer, firstLine: number): number {
  let start = 0;
  let line = firstLine;
  for (;;) {
    const nl = bytes.indexOf(0x0a, start);
    const end = nl === -1 ? bytes.length : nl;
    if (!isUtf8(bytes.subarray(start, end))) return line;
    if (nl === -1) return line;
    start = nl + 1;
    line++;
  }
}

/**
 * Serialised records written straight into one buffer: joining strings and encoding the result
 * would hold the block's output three times at once (pieces, joined text, bytes).
 */
class OutputBuffer {
  private buf: Buffer;
  private used = 0;

  constructor(
    capacity: number,
    private readonly shelf: BufferShelf | undefined,
  ) {
    this.buf = shelf ? shelf.take(capacity) : Buffer.allocUnsafeSlow(capacity);
  }

  write(text: string): void {
    // At most 3 bytes per UTF-16 unit; the exact size is only computed when that could overflow.
    if (this.used + text.length * 3 > this.buf.length) {
      const need = this.used + Buffer.byteLength(text);
      if (need > this.buf.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
        this.buf.copy(grown, 0, 0, this.used);
        this.shelf?.put(this.buf.buffer as ArrayBuffer);
        this.buf = grown;
      }
    }
    this.used += this.buf.write(text, this.used);
  }

  done(): Buffer {
    return this.buf.subarray(0, this.used);
  }
}

/** Roots to serialised RECORD lines, with the counts a block reports. */
class RecordSink {
  readonly out: OutputBuffer;
  records = 0;
  roots = 0;

  constructor(
    inputBytes: number,
    private readonly task: BlockTask,
    private readonly extraction: BulkExtraction,
    private readonly now: () => number,
    shelf: BufferShelf | undefined,
  ) {
    this.out = new OutputBuffer(inputBytes + (inputBytes >> 2) + 4096, shelf);
  }

  root(root: BulkNode): void {
    this.roots++;
    checkExpectedChildren(root, this.extraction.expectedChildren?.(root), this.task.label);
    for (const data of this.extraction.toRecords(root, this.task.context)) {
      this.out.write(serializeMessage(recordMessage(this.task.stream, data, this.now())));
      this.records++;
    }
  }

  output(lines: number): BlockOutput {
    return { bytes: this.out.done(), records: this.records, lines, roots: this.roots };
  }
}

/** `shelf`: where the output buffer comes from (and a buffer outgrown goes back to); absent, a new one. */
export function parseBlock(bytes: Buffer, layout: BlockLayout, task: BlockTask, extraction: BulkExtraction, now: () => number = Date.now, shelf?: BufferShelf): BlockOutput {
  const sink = new RecordSink(bytes.length, task, extraction, now, shelf);
  return layout.kind === 'lines' ? parseLines(bytes, layout.firstLine, task, sink) : parseBuckets(bytes, layout.bounds, task, sink);
}

/** A block of an ungrouped result: each bucket holds whole trees, assembled one bucket at a time. */
function parseBuckets(bytes: Buffer, bounds: Uint32Array, task: BlockTask, sink: RecordSink): BlockOutput {
  for (let i = 0; i + 1 < bounds.length; i++) {
    for (const roots of assembleBucket(bytes, bounds[i]!, bounds[i + 1]!, task.label)) for (const root of roots) sink.root(root);
  }
  return sink.output(countRecords(bytes, 0, bytes.length));
}

/** A block of a grouped result: lines from a root line up to (not including) the next block's root line. */
function parseLines(bytes: Buffer, firstLine: number, task: BlockTask, sink: RecordSink): BlockOutput {
  // A newline byte is never part of a multi-byte sequence: the block is valid UTF-8 iff each line is,
  // so one check covers the block; the line is looked for only on failure.
  if (!isUtf8(bytes)) {
    const line = invalidLine(bytes, firstLine);
    throw new LineFormatError(line, 'invalid UTF-8');
  }
  const assembler = new GroupedAssembler(task.label);
  let count = 0;
  let lineNumber = firstLine;
  // Lines are decoded one by one: most are ASCII, and an ASCII line decodes and parses faster on its
  // own than as part of a block-sized string made two-byte by a few non-ASCII characters elsewhere.
  for (let start = 0; start < bytes.length; lineNumber++) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    const next = end + 1;
    if (end > start && bytes[end - 1] === 0x0d) end--; // tolerate CRLF
    if (end > start) {
      count++;
      const done = assembler.push(parseLine(bytes.toString('utf8', start, end), lineNumber, task.label), lineNumber);
      if (done) sink.root(done);
    }
    start = next;
  }
  // A block ends just before a root line (or at the end of the file), so its last root is complete.
  const last = assembler.finish();
  if (last) sink.root(last);
  return sink.output(count);
}
