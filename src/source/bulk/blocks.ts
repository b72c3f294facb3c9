/**
 * Cuts a grouped bulk result, as raw bytes, into blocks that each start at a root line, so a block
 * can be reassembled on its own (in a worker thread) and a root is never split from its children.
 *
 * A line is a child iff it contains the bytes `"__parentId":"`. Inside a JSON string every quote is
 * escaped (`\"`), so that exact sequence can only be the key itself, never part of a value. A line
 * misread either way is still caught downstream: a child taken for a root starts a block without its
 * parent and the reassembly refuses it as not grouped; a root taken for a child only makes a block longer.
 *
 * Only a few lines at the end of each block are looked at: the main thread never decodes or scans
 * the whole text, which is the work the workers take over.
 */
const NEWLINE = 0x0a;
const CHILD_KEY = Buffer.from('"__parentId":"');

export interface Block {
  /** The block's lines, each ending with a newline; its own ArrayBuffer, so it can be transferred. */
  bytes: Buffer;
  /** Line number (1-based) of the block's first line. */
  firstLine: number;
}

/** Whether the line `buf[start, end)` is a child line (see the file comment). */
export function isChildLine(buf: Buffer, start: number, end: number): boolean {
  return buf.subarray(start, end).indexOf(CHILD_KEY) !== -1;
}

/**
 * The offset of the last root line in `buf` that can start a new block: a complete, non-empty line,
 * not the first one. -1 when there is none yet (a root whose children are still arriving).
 */
export function lastRootStart(buf: Buffer): number {
  let lineEnd = buf.lastIndexOf(NEWLINE);
  while (lineEnd > 0) {
    const lineStart = buf.lastIndexOf(NEWLINE, lineEnd - 1) + 1;
    if (lineStart === 0) return -1;
    let contentEnd = lineEnd;
    if (contentEnd > lineStart && buf[contentEnd - 1] === 0x0d) contentEnd--;
    if (contentEnd > lineStart && !isChildLine(buf, lineStart, contentEnd)) return lineStart;
    lineEnd = lineStart - 1;
  }
  return -1;
}

function countLines(buf: Buffer, end: number): number {
  let n = 0;
  let i = buf.indexOf(NEWLINE);
  while (i !== -1 && i < end) {
    n++;
    i = buf.indexOf(NEWLINE, i + 1);
  }
  return n;
}

export class BlockCutter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Pending size at which to look for a cut again (it grows while one root spans many blocks' worth). */
  private nextTry: number;
  private nextLine = 1;

  constructor(
    private readonly blockBytes: number,
    /** Where a block's buffer comes from: at least `size` bytes, over its whole ArrayBuffer. */
    private readonly alloc: (size: number) => Buffer = (size) => Buffer.allocUnsafeSlow(size),
  ) {
    this.nextTry = blockBytes;
  }

  /** Adds downloaded bytes; returns the blocks completed by them, in order. */
  push(chunk: Buffer): Block[] {
    if (chunk.length === 0) return [];
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes < this.nextTry) return [];
    const buf = this.take();
    const cut = lastRootStart(buf);
    if (cut <= 0) {
      // One root (with its children) larger than a block: wait for more before scanning again,
      // so a huge root costs a few scans, not one per chunk.
      this.pending = [buf];
      this.pendingBytes = buf.length;
      this.nextTry = buf.length + this.blockBytes;
      return [];
    }
    // The tail (the start of the last root) gets its own copy; the block keeps the whole ArrayBuffer.
    const tail = Buffer.from(buf.subarray(cut));
    this.pending = tail.length > 0 ? [tail] : [];
    this.pendingBytes = tail.length;
    this.nextTry = this.blockBytes;
    return [this.block(buf.subarray(0, cut))];
  }

  /** The rest, at the end of the file. */
  finish(): Block | undefined {
    if (this.pendingBytes === 0) return undefined;
    const buf = this.take();
    this.pending = [];
    this.pendingBytes = 0;
    return this.block(buf);
  }

  private block(bytes: Buffer): Block {
    const firstLine = this.nextLine;
    this.nextLine += countLines(bytes, bytes.length);
    return { bytes, firstLine };
  }

  /** The pending bytes in one buffer that owns its memory (never a slice of Node's shared pool). */
  private take(): Buffer {
    const buf = this.alloc(this.pendingBytes).subarray(0, this.pendingBytes);
    let at = 0;
    for (const part of this.pending) {
      part.copy(buf, at);
      at += part.length;
    }
    return buf;
  }
}
