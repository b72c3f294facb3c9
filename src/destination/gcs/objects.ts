/**
 * Object operations the destination needs (upload a finished part, list, read, delete), each wrapped in
 * the shared retry policy. Uploads are resumable (`createWriteStream` without chunkSize) with
 * `ifGenerationMatch: 0`. Because a retry can follow an attempt that did finish server-side (and the
 * emulator ignores preconditions), every attempt after the first checks the existing object first: the
 * same name with the same MD5 means the part is already there.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
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

async function uploadOnce(file: File, source: UploadSource): Promise<void> {
  await pipeline(
    createReadStream(source.path),
    file.createWriteStream({
      resumable: true,
      contentType: source.contentType,
      metadata: { contentType: source.contentType, ...(source.metadata ? { metadata: source.metadata } : {}) },
      preconditionOpts: { ifGenerationMatch: 0 },
      validation: 'md5',
    }),
  );
}

/** Uploads a finished part; resolves once the object is finalized and visible. */
export async function uploadObject(ops: GcsOps, name: string, source: UploadSource): Promise<void> {
  const file = ops.bucket.file(name);
  const what = `upload of gs://${ops.bucket.name}/${name}`;
  await withRetry(async (attempt) => {
    try {
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
