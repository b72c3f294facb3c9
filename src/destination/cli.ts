import { runCli } from '../runtime/cli.js';
import { destinationGcs } from './connector.js';

await runCli(destinationGcs);
