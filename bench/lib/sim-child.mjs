/**
 * The simulator as a benchmark child process: `node sim-child.mjs '<SimulatorOptions JSON>'`.
 * Starts it on 127.0.0.1, loads the API schema with one warm-up query (so no sync pays for it), then
 * prints {"url": ...}. Stops on SIGTERM/SIGINT or when its stdin closes (the parent died).
 */
import { startSimulator } from '../../dist/simulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}');
const sim = await startSimulator({ port: 0, ...options });
const res = await fetch(sim.graphqlUrl('2026-07'), {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-shopify-access-token': sim.accessToken },
  body: JSON.stringify({ query: '{ shop { name } }' }),
});
await res.text();
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await sim.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ url: sim.url, shop: sim.shop, accessToken: sim.accessToken })}\n`);
