/** `shopify-simulator`: starts the simulator and prints `listening on http://127.0.0.1:<port>` first. */
// graphql-js skips its development-time instanceof checks in production mode (decided at import time).
process.env.NODE_ENV ??= 'production';
const { startSimulator } = await import('./index.js');
const { parseCli } = await import('./cli-program.js');

const options = parseCli(process.argv.slice(2));
const sim = await startSimulator(options);
process.stdout.write(`listening on ${sim.url}\n`);
process.stderr.write(`shop ${sim.shop}, token ${sim.accessToken}, ${options.orders ?? 0} orders, seed ${options.seed ?? 1}${options.fast ? ', fast' : ''}\n`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await sim.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
