/**
 * Newline-delimited framing shared by every JSON-lines input (stdin messages, bulk JSONL downloads).
 * Yields the lines of each incoming chunk as one batch, so the hot path pays one async step per chunk
 * rather than per line. A line may span any number of chunks (tens of MB): partial pieces are kept as
 * Buffers and decoded once, when the line is complete.
 */
import { isUtf8 } from 'node:buffer';

export class LineFormatError extends Error {
  constructor(readonly lineNumber: number, readonly reason: string) {
    super(`line ${lineNumber}: ${reason}`);
    this.name = 'LineFormatError';
  }
}

export interface LineBatch<T = string> {
  /** Line number (1-based) of the first line in `lines`. */
  firstLine: number;
  lines: T[];
}

const NEWLINE = 0x0a;

export function decodeLine(buf: Buffer, lineNumber: number): string {
  // Invalid UTF-8 must not be silently replaced with U+FFFD: that would alter data.
  if (!isUtf8(buf)) throw new LineFormatError(lineNumber, 'invalid UTF-8');
  let end = buf.length;
  if (end > 0 && buf[end - 1] === 0x0d) end--; // tolerate CRLF
  return buf.toString('utf8', 0, end);
}

/**
 * Splits a byte stream into batches of complete lines, as bytes (a line within one chunk is a view of
 * it, without its newline). An empty line comes as an empty buffer, so line numbers stay exact.
 */
export async function* byteLineBatches(source: AsyncIterable<Buffer | string>): AsyncGenerator<LineBatch<Buffer>> {
  let pending: Buffer[] = [];
  let lineNumber = 1;
  for await (const raw of source) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
    const lines: Buffer[] = [];
    const first = lineNumber;
    let start = 0;
    let nl = chunk.indexOf(NEWLINE, start);
    while (nl !== -1) {
      let piece = chunk.subarray(start, nl);
      if (pending.length > 0) {
        pending.push(piece);
        piece = Buffer.concat(pending);
        pending = [];
      }
      lines.push(piece);
      lineNumber++;
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
    if (lines.length > 0) yield { firstLine: first, lines };
  }
  if (pending.length > 0) yield { firstLine: lineNumber, lines: [Buffer.concat(pending)] };
}

/** `byteLineBatches` with each line decoded (invalid UTF-8 is an error naming the line; CRLF tolerated). */
export async function* lineBatches(source: AsyncIterable<Buffer | string>): AsyncGenerator<LineBatch> {
  for await (const batch of byteLineBatches(source)) {
    yield { firstLine: batch.firstLine, lines: batch.lines.map((bytes, i) => (bytes.length > 0 ? decodeLine(bytes, batch.firstLine + i) : '')) };
  }
}
