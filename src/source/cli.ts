import { runCli } from '../runtime/cli.js';
import { keepWebAssemblyUnoptimised } from '../runtime/wasm-tiering.js';
import { keepYoungGenerationSmall } from '../runtime/young-heap.js';
import { sourceShopify } from './connector.js';

keepYoungGenerationSmall();
keepWebAssemblyUnoptimised();

await runCli(sourceShopify);
