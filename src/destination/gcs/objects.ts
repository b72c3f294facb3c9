/**
 * Object operations the destination needs (upload a finished part, list, read, delete), each wrapped in
 * the shared retry policy. Uploads are resumable (`createWriteStream` without chunkSize) with
 * `ifGenerationMatch: 0`. Because a retry can follow an attempt that did finish server-side (and the
 * emulator ignores preconditions), every attempt after the first checks the existing object first: the
 * same name with the same MD5 means the part is already there.
 *
 * A part's first attempt may be streamed while the part is still being written (`StreamedUpload`), so
 * closing it only waits for the last bytes instead of uploading the whole part then; the spool file
 * stays the source of every later attempt.
 */
import { once } from 'node:events';
import { createReadStream } from 'node:fs';
import { finished, pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type { Bucket, File } from '@google-cloud/storage';
import { ConfigError, TransientError, errorMessage } from '../../runtime/errors.js';
import { withRetry, type RetryPolicy } from '../../runtime/retry.js';
import type { Logger } from '../../runtime/logger.js';
import { httpStatusOf, toGcsError } from './errors.js';

export interface GcsOps {
  bucket: Bucket;
  retry?: Partial<RetryPolicy>;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface UploadSource {
  /** A local file holding the object's bytes. */
  path: string;
  size: number;
  /** Base64 MD5 of the bytes, as GCS reports `md5Hash`. */
  md5: string;
  contentType: string;
  /** Custom metadata (generation tags). */
  metadata?: Record<string, string>;
}

export interface ObjectInfo {
  name: string;
  size: number;
  metadata: Record<string, string>;
}

function retryOptions(ops: GcsOps, operation: string) {
  return {
    operation,
    ...(ops.retry ? { policy: ops.retry } : {}),
    ...(ops.signal ? { signal: ops.signal } : {}),
    onRetry: ({ attempt, delayMs, error }: { attempt: number; delayMs: number; error: unknown }) =>
      ops.logger?.warn(`${operation}: attempt ${attempt} failed (${error instanceof Error ? error.message.slice(0, 200) : String(error)}); retrying in ${delayMs} ms`),
  };
}

async function sameObject(file: File, source: UploadSource): Promise<boolean> {
  try {
    const [meta] = await file.getMetadata();
    return meta.md5Hash === source.md5 && Number(meta.size) === source.size;
  } catch (err) {
    if (httpStatusOf(err) === 404) return false;
    throw err;
  }
}

/** What an object is created with, known when its part opens. */
export type UploadTarget = Pick<UploadSource, 'contentType' | 'metadata'>;

function uploadStream(file: File, target: UploadTarget): Writable {
  return file.createWriteStream({
    resumable: true,
    contentType: target.contentType,
    metadata: { contentType: target.contentType, ...(target.metadata ? { metadata: target.metadata } : {}) },
    preconditionOpts: { ifGenerationMatch: 0 },
    validation: 'md5',
  });
}

/**
 * Bytes handed to a streamed upload but not yet taken by its connection beyond which the part's writer
 * waits (the network is slower than the part is written): memory stays bounded.
 */
export const STREAM_BEHIND_LIMIT_BYTES = 4 * 1024 * 1024;
/** Writes to a streamed upload are gathered into pieces this large: each one costs the client and the server a round of work. */
const STREAM_PIECE_BYTES = 1024 * 1024;

/**
 * The first upload attempt of a part, fed while the part is written. A failure is kept and reported
 * as that attempt's failure when the part closes (the part is then uploaded again from its spool
 * file); nothing is finalized until `finish`.
 */
export class StreamedUpload {
  private readonly stream: Writable;
  private failure: unknown;
  private pending = Buffer.allocUnsafe(STREAM_PIECE_BYTES);
  private pendingBytes = 0;

  constructor(ops: GcsOps, name: string, target: UploadTarget) {
    this.stream = uploadStream(ops.bucket.file(name), target);
    this.stream.on('error', (err) => (this.failure ??= err));
  }

  /** Streams a copy of bytes just written to the part (the caller may reuse its buffer). */
  write(chunk: Uint8Array): void {
    if (this.failure !== undefined) return;
    if (this.pending.length - this.pendingBytes < chunk.length) this.flush();
    if (chunk.length >= this.pending.length) this.stream.write(Buffer.from(chunk));
    else {
      this.pending.set(chunk, this.pendingBytes);
      this.pendingBytes += chunk.length;
    }
  }

  /** Undefined, or a promise to wait for before writing more: the connection is that far behind. */
  backlog(): Promise<void> | undefined {
    if (this.failure !== undefined || this.stream.writableLength <= STREAM_BEHIND_LIMIT_BYTES) return undefined;
    // Settles on 'drain', or at once on a failure (kept, and reported by `finish`).
    return once(this.stream, 'drain').then(
      () => undefined,
      () => undefined,
    );
  }

  private flush(): void {
    if (this.pendingBytes === 0) return;
    this.stream.write(this.pending.subarray(0, this.pendingBytes));
    this.pending = Buffer.allocUnsafe(STREAM_PIECE_BYTES);
    this.pendingBytes = 0;
  }

  /** Ends the stream; resolves once the object is finalized, rejects with the first failure. */
  async finish(): Promise<void> {
    if (this.failure === undefined) {
      this.flush();
      this.stream.end();
      await finished(this.stream).catch((err: unknown) => (this.failure ??= err));
    }
    if (this.failure !== undefined) {
      this.stream.destroy();
      throw this.failure;
    }
  }

  /** Drops the upload (the sync failed): the object is never finalized. */
  abort(): void {
    this.failure ??= new Error('upload dropped');
    this.stream.destroy(this.failure as Error);
  }
}

async function uploadOnce(file: File, source: UploadSource): Promise<void> {
  await pipeline(createReadStream(source.path), uploadStream(file, source));
}

/**
 * Uploads a finished part; resolves once the object is finalized and visible. With `streamed`, the
 * first attempt is that upload's end (the bytes went out while the part was written).
 */
export async function uploadObject(ops: GcsOps, name: string, source: UploadSource, streamed?: StreamedUpload): Promise<void> {
  const file = ops.bucket.file(name);
  const what = `upload of gs://${ops.bucket.name}/${name}`;
  await withRetry(async (attempt) => {
    try {
      if (attempt === 1 && streamed) return await streamed.finish();
      if (attempt > 1 && (await sameObject(file, source))) return;
      await uploadOnce(file, source);
    } catch (err) {
      if (httpStatusOf(err) === 412) {
        if (await sameObject(file, source)) return;
        throw new ConfigError(`${what} refused: an object with this name already exists with other content; choose a gcs_path_format or file_name_pattern that makes names unique`);
      }
      // The client's resumable upload reports a retryable fault (reset, 5xx mid-upload) this way when
      // its own retries are off; the shared policy retries it, and the next attempt checks for the object.
      if (/^Retry (total time )?limit exceeded/.test(errorMessage(err))) throw new TransientError(`${what}: ${errorMessage(err).slice(0, 300)}`, { cause: err });
      throw toGcsError(err, what);
    }
  }, retryOptions(ops, what));
}

export async function listObjects(ops: GcsOps, prefix: string): Promise<ObjectInfo[]> {
  const what = `listing of gs://${ops.bucket.name}/${prefix}`;
  const [files] = await withRetry(async () => {
    try {
      return await ops.bucket.getFiles({ prefix, autoPaginate: true });
    } catch (err) {
      throw toGcsError(err, what);
    }
  }, retryOptions(ops, what));
  return files.map((f) => ({
    name: f.name,
    size: Number(f.metadata.size ?? 0),
    metadata: Object.fromEntries(Object.entries(f.metadata.metadata ?? {}).map(([k, v]) => [k, String(v)])),
  }));
}

export async function readObject(ops: GcsOps, name: string): Promise<Buffer> {
  const what = `read of gs://${ops.bucket.name}/${name}`;
  return withRetry(async () => {
    try {
      const [buf] = await ops.bucket.file(name).download();
      return buf;
    } catch (err) {
      throw toGcsError(err, what);
    }
  }, retryOptions(ops, what));
}

/** Deletes an object; one already gone counts as deleted (a retried delete may have succeeded). */
export async function deleteObject(ops: GcsOps, name: string): Promise<void> {
  const what = `delete of gs://${ops.bucket.name}/${name}`;
  await withRetry(async () => {
    try {
      await ops.bucket.file(name).delete();
    } catch (err) {
      if (httpStatusOf(err) === 404) return;
      throw toGcsError(err, what);
    }
  }, retryOptions(ops, what));
}
