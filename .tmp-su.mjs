import { Storage } from '@google-cloud/storage';
import { StreamedUpload } from './dist/destination/gcs/objects.js';
const url = process.argv[2];
const storage = new Storage({ apiEndpoint: url, projectId: 'p', useAuthWithCustomEndpoint: false, retryOptions: { autoRetry: false, maxRetries: 0 } });
const bucket = storage.bucket('su' + Date.now());
await bucket.create().catch(() => {});
const ops = { bucket };
for (const [label, sizes] of [['small', [1000, 2000]], ['one-big', [2_000_000]], ['big-then-small', [2_000_000, 1000]], ['exact1m', [1024 * 1024]], ['small-then-big', [1000, 3_000_000]]]) {
  const up = new StreamedUpload(ops, label, { contentType: 'application/octet-stream' });
  for (const n of sizes) up.write(Buffer.alloc(n, 65));
  const t = performance.now();
  const r = await Promise.race([up.finish().then(() => 'ok', (e) => 'err ' + e.message), new Promise((r) => setTimeout(() => r('TIMEOUT'), 5000))]);
  console.log(label, r, (performance.now() - t).toFixed(0), 'ms');
}
process.exit(0);
