/**
 * Text output of a part (JSONL, CSV): small appends are encoded straight into a chunk buffer and handed
 * to zlib once it holds at least 64 KiB (one write per line is 10-18x slower), then gzip'd or not, into
 * the spool file. Encoding each line into the chunk skips the copy a join of the lines would make
 * before encoding (about half the cost of building the chunks).
 * `append` returns a promise only when the caller must wait for the compressor, or for the part's
 * streamed upload (spool.ts), to catch up.
 */
import { once } from 'node:events';
import { createGzip, type Gzip, type ZlibOptions } from 'node:zlib';
import type { SpoolFile } from './spool.js';

export const COALESCE_BYTES = 64 * 1024;
/** Chunks are cut from buffers of this size, one after the other; a line that cannot fit one goes alone. */
const BUFFER_BYTES = 1024 * 1024;

export class TextOutput {
  /**
   * The chunk being filled is `buffer[start, end)`. Bytes before `start` were sent and are never written
   * again (zlib may still be reading them); when the rest of the buffer may be too small, a new one is used.
   */
  private buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private start = 0;
  private end = 0;
  private readonly gzip: Gzip | undefined;
  private failure: Error | undefined;

  /** `gzipLevel`: compress at this level (1-9); undefined writes the text as is. */
  constructor(private readonly spool: SpoolFile, gzipLevel: number | undefined) {
    if (gzipLevel !== undefined) {
      this.gzip = createGzip({ level: gzipLevel, highWaterMark: 256 * 1024 } as ZlibOptions);
      this.gzip.on('data', (chunk: Buffer) => {
        try {
          spool.write(chunk);
        } catch (err) {
          this.failure = err as Error;
          this.gzip?.destroy(this.failure);
        }
      });
      this.gzip.on('error', (err) => (this.failure ??= err));
    }
  }

  /** Bytes written so far, counting text not yet compressed at face value (close enough for rotation). */
  get bytes(): number {
    return this.spool.size + this.end - this.start;
  }

  /** Appends text (encoded as UTF-8) or bytes as they are. */
  append(piece: string | Uint8Array): Promise<void> | undefined {
    let wait: Promise<void> | undefined;
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const most = typeof piece === 'string' ? piece.length * 3 : piece.length;
    if (most > this.buffer.length - this.end) {
      wait = this.push();
      if (most > BUFFER_BYTES) return this.send(typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece)) ?? wait;
      this.buffer = Buffer.allocUnsafe(BUFFER_BYTES);
      this.start = this.end = 0;
    }
    if (typeof piece === 'string') this.end += this.buffer.write(piece, this.end, 'utf8');
    else {
      this.buffer.set(piece, this.end);
      this.end += piece.length;
    }
    return this.end - this.start >= COALESCE_BYTES ? this.push() : wait;
  }

  private push(): Promise<void> | undefined {
    if (this.end === this.start) return undefined;
    const chunk = this.buffer.subarray(this.start, this.end);
    this.start = this.end;
    return this.send(chunk);
  }

  private send(bytes: Buffer): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    if (!this.gzip) {
      this.spool.write(bytes);
      return this.spool.backlog();
    }
    return this.gzip.write(bytes) ? this.spool.backlog() : this.drain();
  }

  /** Waits for the compressor, then for the spool's streamed upload if it is behind. */
  private async drain(): Promise<void> {
    if (this.gzip && this.gzip.writableNeedDrain) await once(this.gzip, 'drain');
    await this.spool.backlog();
    if (this.failure) throw this.failure;
  }

  async finish(): Promise<void> {
    await this.push();
    if (this.gzip) {
      const ended = once(this.gzip, 'end');
      this.gzip.end();
      await ended;
    }
    if (this.failure) throw this.failure;
  }

  abort(): void {
    this.gzip?.destroy();
  }
}
