import { runCli } from '../runtime/cli.js';
import { keepYoungGenerationSmall } from '../runtime/young-heap.js';
import { sourceShopify } from './connector.js';

keepYoungGenerationSmall();

await runCli(sourceShopify);
