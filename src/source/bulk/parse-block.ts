/**
 * The per-line work of a grouped result for one block (see blocks.ts): decode, parse, reassemble,
 * check truncated connections, map to records and serialise the RECORD messages. Runs in a worker
 * thread (parse-worker.ts); a plain function, so it is tested in-process too.
 */
import { isUtf8 } from 'node:buffer';
import { LineFormatError } from '../../protocol/lines.js';
import { recordMessage } from '../../protocol/messages.js';
import { serializeMessage } from '../../protocol/writer.js';
import type { BulkExtraction, BulkNode, RecordContext } from '../streams/define.js';
import { GroupedAssembler, checkExpectedChildren, parseLine } from './assemble.js';

export interface BlockTask {
  stream: string;
  label: string;
  context: RecordContext;
  firstLine: number;
}

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

  constructor(capacity: number) {
    this.buf = Buffer.allocUnsafeSlow(capacity);
  }

  write(text: string): void {
    // At most 3 bytes per UTF-16 unit; the exact size is only computed when that could overflow.
    if (this.used + text.length * 3 > this.buf.length) {
      const need = this.used + Buffer.byteLength(text);
      if (need > this.buf.length) {
        const grown = Buffer.allocUnsafeSlow(Math.max(need, this.buf.length * 2));
        this.buf.copy(grown, 0, 0, this.used);
        this.buf = grown;
      }
    }
    this.used += this.buf.write(text, this.used);
  }

  done(): Buffer {
    return this.buf.subarray(0, this.used);
  }
}

export function parseBlock(bytes: Buffer, task: BlockTask, extraction: BulkExtraction, now: () => number = Date.now): BlockOutput {
  // A newline byte is never part of a multi-byte sequence: the block is valid UTF-8 iff each line is,
  // so one check and one decode cover the block; the line is looked for only on failure.
  if (!isUtf8(bytes)) {
    const line = invalidLine(bytes, task.firstLine);
    throw new LineFormatError(line, 'invalid UTF-8');
  }
  const lines = bytes.toString('utf8').split('\n');
  // The block ends with a newline: the piece after it is empty, not a line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const assembler = new GroupedAssembler(task.label);
  const out = new OutputBuffer(bytes.length + (bytes.length >> 2) + 4096);
  let records = 0;
  let count = 0;
  let roots = 0;
  const emit = (root: BulkNode): void => {
    roots++;
    checkExpectedChildren(root, extraction.expectedChildren?.(root), task.label);
    for (const data of extraction.toRecords(root, task.context)) {
      out.write(serializeMessage(recordMessage(task.stream, data, now())));
      records++;
    }
  };
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 0x0d) line = line.slice(0, -1); // tolerate CRLF
    if (line === '') continue;
    const lineNumber = task.firstLine + i;
    count++;
    const done = assembler.push(parseLine(line, lineNumber, task.label), lineNumber);
    if (done) emit(done);
  }
  // A block ends just before a root line (or at the end of the file), so its last root is complete.
  const last = assembler.finish();
  if (last) emit(last);
  return { bytes: out.done(), records, lines: count, roots };
}
