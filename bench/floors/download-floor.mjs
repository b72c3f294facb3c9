/**
 * Download floor: run one bulk query against the simulator (untimed), then fetch its result URL to
 * nowhere with Node's fetch. `node download-floor.mjs SIM_URL TOKEN QUERY_FILE`; prints
 * {"seconds": s, "bytes": n} for the fetch alone.
 */
import { readFileSync } from 'node:fs';
import { runBulk } from '../lib/bulk-client.mjs';

const [simUrl, token, queryFile] = process.argv.slice(2);
const op = await runBulk(simUrl, token, readFileSync(queryFile, 'utf8'), true, 50);
const started = process.hrtime.bigint();
const res = await fetch(op.url);
let bytes = 0;
for await (const chunk of res.body) bytes += chunk.byteLength;
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
if (bytes !== op.fileSize) throw new Error(`downloaded ${bytes} bytes, expected ${op.fileSize}`);
process.stdout.write(`${JSON.stringify({ seconds, bytes })}\n`);
