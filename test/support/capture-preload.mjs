/**
 * Loaded into every Node process the test run starts (global setup adds it to NODE_OPTIONS). In a
 * connector process (bin/source-shopify.js, bin/destination-gcs.js) that was not started by runCli
 * (which captures from the parent side), it appends every chunk written to stdout and stderr to the
 * run's capture directory, so connectors started by other helpers (the demo script, scenario
 * harnesses) are scanned for canary secrets too. Anywhere else it does nothing.
 */
import { appendFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const dir = process.env.CONNECTOR_OUTPUT_CAPTURE_DIR;
const bin = basename(process.argv[1] ?? '').replace(/\.js$/, '');
if (dir && !process.env.CONNECTOR_OUTPUT_CAPTURED_BY_PARENT && (bin === 'source-shopify' || bin === 'destination-gcs')) {
  const base = join(dir, `${bin}-${process.pid}-preload`);
  for (const [name, stream] of [['stdout', process.stdout], ['stderr', process.stderr]]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, ...rest) => {
      try {
        appendFileSync(`${base}.${name}`, typeof chunk === 'string' ? chunk : Buffer.from(chunk));
      } catch {
        /* capture is best effort; the connector's own output must not fail because of it */
      }
      return write(chunk, ...rest);
    };
  }
}
