/**
 * Text output of a part (JSONL, CSV): small appends are encoded straight into one buffer and written
 * out in pieces (one write per line is 10-18x slower), gzip'd or not (gzip-member.ts), into the spool
 * file. Encoding each line into the buffer skips the copy a join of the lines would make before
 * encoding (about half the cost of building the pieces). Everything happens on the calling thread, so
 * the buffer is reused as soon as a piece is written.
 * `append` returns a promise only when the caller must wait for the part's streamed upload (spool.ts)
 * to catch up.
 */
import { GzipMember } from './gzip-member.js';
import type { SpoolFile } from './spool.js';

/** Uncompressed text is written out in pieces of at least this size. */
const COALESCE_BYTES = 64 * 1024;
/**
 * Text to gzip goes in larger pieces: each piece is deflated on its own, primed with the 32 KiB before
 * it, and that priming costs less the larger the piece.
 */
const GZIP_PIECE_BYTES = 512 * 1024;
/** The buffer lines are encoded into; a line that cannot fit it goes out alone. */
const BUFFER_BYTES = 1024 * 1024;

export class TextOutput {
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private end = 0;
  private readonly gzip: GzipMember | undefined;
  private readonly pieceBytes: number;

  /** `gzipLevel`: compress at this level (1-9); undefined writes the text as is. */
  constructor(
    private readonly spool: SpoolFile,
    gzipLevel: number | undefined,
  ) {
    this.gzip = gzipLevel === undefined ? undefined : new GzipMember(gzipLevel);
    this.pieceBytes = this.gzip ? GZIP_PIECE_BYTES : COALESCE_BYTES;
  }

  /** Bytes written so far, counting text not yet compressed at face value (close enough for rotation). */
  get bytes(): number {
    return this.spool.size + this.end;
  }

  /** Appends text (encoded as UTF-8) or bytes as they are. */
  append(piece: string | Uint8Array): Promise<void> | undefined {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const most = typeof piece === 'string' ? piece.length * 3 : piece.length;
    if (most > BUFFER_BYTES - this.end) {
      this.push();
      if (most > BUFFER_BYTES) {
        this.send(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : piece);
        return this.spool.backlog();
      }
    }
    if (typeof piece === 'string') this.end += this.buffer.write(piece, this.end, 'utf8');
    else {
      this.buffer.set(piece, this.end);
      this.end += piece.length;
    }
    if (this.end < this.pieceBytes) return undefined;
    this.push();
    return this.spool.backlog();
  }

  private push(): void {
    if (this.end === 0) return;
    this.send(this.buffer.subarray(0, this.end));
    this.end = 0;
  }

  /** Writes text to the spool (which copies it): compressed first when gzip'd. */
  private send(text: Uint8Array): void {
    if (!this.gzip) this.spool.write(text);
    else for (const bytes of this.gzip.deflate(text)) this.spool.write(bytes);
  }

  async finish(): Promise<void> {
    this.push();
    if (this.gzip) for (const bytes of this.gzip.finish()) this.spool.write(bytes);
  }

  abort(): void {
    this.end = 0;
  }
}
