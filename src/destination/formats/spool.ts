/**
 * A part's bytes on local disk while it is being written: uploads read from here, so a failed upload
 * can be retried from the first byte without holding the part in memory. Tracks size and MD5 (GCS's
 * `md5Hash`, used to recognise an object that an earlier attempt already finalized).
 */
import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';

export interface SpooledPart {
  path: string;
  size: number;
  md5: string;
}

/** Where a spool's bytes also go as they are written (a streamed upload of the part). */
export interface SpoolTee {
  write(chunk: Uint8Array): void;
  /** A promise to wait for before writing more, when the tee is behind. */
  backlog(): Promise<void> | undefined;
}

export class SpoolFile {
  private fd: number | undefined;
  private readonly hash: Hash = createHash('md5');
  size = 0;

  constructor(
    readonly path: string,
    private readonly tee?: SpoolTee,
  ) {
    this.fd = openSync(path, 'w', 0o600);
  }

  write(chunk: Uint8Array): void {
    if (this.fd === undefined) throw new Error(`spool file ${this.path} is closed`);
    let offset = 0;
    while (offset < chunk.length) offset += writeSync(this.fd, chunk, offset, chunk.length - offset);
    this.hash.update(chunk);
    this.size += chunk.length;
    this.tee?.write(chunk);
  }

  /** Undefined, or a promise to wait for before writing more (the tee is behind). */
  backlog(): Promise<void> | undefined {
    return this.tee?.backlog();
  }

  close(): SpooledPart {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    return { path: this.path, size: this.size, md5: this.hash.digest('base64') };
  }

  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.path, { force: true });
  }
}
