/**
 * Upload floor: the same bytes uploaded to GCS (the emulator) with @google-cloud/storage in one
 * resumable stream, as the destination uploads. `node upload-floor.mjs ENDPOINT BUCKET OBJECT FILE`;
 * prints {"seconds": s, "bytes": n} for the upload alone.
 */
import { createReadStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { Storage } from '@google-cloud/storage';

const [endpoint, bucketName, objectName, file] = process.argv.slice(2);
const storage = new Storage({ apiEndpoint: endpoint, projectId: 'demo-bench', retryOptions: { autoRetry: false } });
const bucket = storage.bucket(bucketName);
const [exists] = await bucket.exists();
if (!exists) await bucket.create().catch(() => {});
const started = process.hrtime.bigint();
await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), bucket.file(objectName).createWriteStream({ resumable: true, validation: false, contentType: 'application/jsonl' }));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const [metadata] = await bucket.file(objectName).getMetadata();
const bytes = Number(metadata.size);
if (bytes !== statSync(file).size) throw new Error(`uploaded ${bytes} bytes, expected ${statSync(file).size}`);
process.stdout.write(`${JSON.stringify({ seconds, bytes })}\n`);
