/**
 * `check`: the same calls a sync makes, on a small probe object under the bucket path. It is uploaded
 * (resumable, like every part), listed, read back and deleted; the first step that fails names the
 * permission or setting to fix.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { Storage } from '@google-cloud/storage';
import type { AirbyteConnectionStatus } from '../protocol/messages.js';
import type { CommandContext } from '../runtime/connector.js';
import type { RetryPolicy } from '../runtime/retry.js';
import type { DestinationConfig } from './config.js';
import { createStorage } from './gcs/client.js';
import { explainGcsFailure } from './gcs/errors.js';
import { deleteObject, listObjects, readObject, uploadObject, type GcsOps } from './gcs/objects.js';
import { validateNaming } from './naming.js';

/** A check must answer quickly: a short retry budget, not the sync's. */
export const CHECK_RETRY: Partial<RetryPolicy> = { maxAttempts: 3, baseDelayMs: 200, maxDelayMs: 1000, deadlineMs: 10_000 };

export async function checkConnection(
  config: DestinationConfig,
  ctx: CommandContext,
  options: { storage?: Storage; retry?: Partial<RetryPolicy> } = {},
): Promise<AirbyteConnectionStatus> {
  validateNaming(config.pathFormat, config.fileNamePattern);
  const storage = options.storage ?? (await createStorage(config));
  const ops: GcsOps = { bucket: storage.bucket(config.bucket), retry: options.retry ?? CHECK_RETRY, signal: ctx.signal };
  const name = `${config.bucketPath ? `${config.bucketPath}/` : ''}_airbyte_check_${randomUUID()}.jsonl.gz`;
  const where = `gs://${config.bucket}/${name}`;
  const body = gzipSync(JSON.stringify({ data: 1 }) + '\n');
  const dir = mkdtempSync(join(tmpdir(), 'destination-gcs-check-'));
  const path = join(dir, 'probe');
  writeFileSync(path, body);
  let uploaded = false;
  const step = async <T>(what: string, permission: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw new CheckFailure(`Could not ${what} ${where}: ${explainGcsFailure(err, permission, config.bucket)}`);
    }
  };
  try {
    await step('write the probe object', 'storage.objects.create', () =>
      uploadObject(ops, name, { path, size: body.length, md5: createHash('md5').update(body).digest('base64'), contentType: 'application/gzip' }),
    );
    uploaded = true;
    const listed = await step('list the probe object', 'storage.objects.list', () => listObjects(ops, name));
    if (!listed.some((o) => o.name === name)) throw new CheckFailure(`The probe ${where} was written but is not listed: check that the bucket is not an eventual-consistency proxy or a different endpoint`);
    const read = await step('read the probe object', 'storage.objects.get', () => readObject(ops, name));
    if (!read.equals(body)) throw new CheckFailure(`The probe ${where} read back differs from what was written`);
    await step('delete the probe object', 'storage.objects.delete', () => deleteObject(ops, name));
    uploaded = false;
    return { status: 'SUCCEEDED' };
  } catch (err) {
    if (err instanceof CheckFailure) return { status: 'FAILED', message: err.message };
    throw err;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (uploaded) await deleteObject(ops, name).catch(() => ctx.logger.warn(`could not delete the probe ${where}`));
  }
}

class CheckFailure extends Error {}
