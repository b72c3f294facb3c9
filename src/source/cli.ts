import { runCli } from '../runtime/cli.js';
import { sourceShopify } from './connector.js';

await runCli(sourceShopify);
