#!/usr/bin/env node
/**
 * `source-shopify` exactly as shipped except that bulk queries ask for ungrouped results
 * (groupObjects: false), so the benchmark measures the reassembly path for ungrouped files. Same
 * arguments as bin/source-shopify.js.
 */
import { runCli } from '../../dist/runtime/cli.js';
import { createSourceShopify } from '../../dist/source/connector.js';
import { keepYoungGenerationSmall } from '../../dist/runtime/young-heap.js';

keepYoungGenerationSmall(); // as src/source/cli.ts does

await runCli(createSourceShopify({ deps: { groupObjects: false } }));
