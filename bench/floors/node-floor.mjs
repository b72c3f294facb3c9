/**
 * Node floor: stream a JSONL file, JSON.parse each line and JSON.stringify a RECORD envelope around
 * it to /dev/null. `node node-floor.mjs FILE [STREAM]`; prints {"lines": N} at the end.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';

const [file, stream = 'orders'] = process.argv.slice(2);
const out = createWriteStream('/dev/null', { highWaterMark: 1 << 20 });
let rest = '';
let lines = 0;
for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
  const text = rest + chunk;
  const parts = text.split('\n');
  rest = parts.pop() ?? '';
  let batch = '';
  for (const line of parts) {
    if (line === '') continue;
    const data = JSON.parse(line);
    batch += `${JSON.stringify({ type: 'RECORD', record: { stream, data, emitted_at: Date.now() } })}\n`;
    lines++;
  }
  if (!out.write(batch)) await once(out, 'drain');
}
if (rest !== '') {
  out.write(`${JSON.stringify({ type: 'RECORD', record: { stream, data: JSON.parse(rest), emitted_at: Date.now() } })}\n`);
  lines++;
}
out.end();
await once(out, 'finish');
process.stderr.write(`${JSON.stringify({ lines })}\n`);
