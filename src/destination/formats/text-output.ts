/**
 * Text output of a part (JSONL, CSV): small appends are coalesced into chunks of at least 64 KiB before
 * they reach zlib (one write per line is 10-18x slower), then gzip'd or not, into the spool file.
 * `append` returns a promise only when the caller must wait for the compressor to catch up.
 */
import { once } from 'node:events';
import { createGzip, type Gzip, type ZlibOptions } from 'node:zlib';
import type { SpoolFile } from './spool.js';

export const COALESCE_BYTES = 64 * 1024;

export class TextOutput {
  private pending: string[] = [];
  private pendingLength = 0;
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
    return this.spool.size + this.pendingLength;
  }

  append(text: string): Promise<void> | undefined {
    this.pending.push(text);
    this.pendingLength += text.length;
    return this.pendingLength >= COALESCE_BYTES ? this.push() : undefined;
  }

  private push(): Promise<void> | undefined {
    if (this.failure) throw this.failure;
    if (this.pendingLength === 0) return undefined;
    const chunk = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    if (!this.gzip) {
      this.spool.write(chunk);
      return undefined;
    }
    return this.gzip.write(chunk) ? undefined : this.drain();
  }

  private async drain(): Promise<void> {
    if (this.gzip && this.gzip.writableNeedDrain) await once(this.gzip, 'drain');
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
