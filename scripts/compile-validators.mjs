#!/usr/bin/env node
// Part of `npm run build`, after tsc: compiles the input validators every command needs (each
// connector's config, the configured catalog) into ajv standalone modules under
// dist/runtime/compiled/, so the connectors load neither ajv nor its compiler at startup. The files
// are named by a hash of schema and options (dist/runtime/precompiled.js), so a stale one is never used.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import standaloneCode from 'ajv/dist/standalone/index.js';

const dist = new URL('../dist/runtime/', import.meta.url);
const { createAjv } = await import(new URL('validate.js', dist).href);
const { COMPILED_DIR, compiledFile } = await import(new URL('precompiled.js', dist).href);
const { loadSpec } = await import(new URL('spec.js', dist).href);
const { protocolDefinition } = await import(new URL('protocol-schema.js', dist).href);

const inputs = [
  [loadSpec('spec.source.json').connectionSpecification, { useDefaults: true }],
  [loadSpec('spec.destination.json').connectionSpecification, { useDefaults: true }],
  [protocolDefinition('ConfiguredAirbyteCatalog'), {}],
];

const dir = fileURLToPath(COMPILED_DIR);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
for (const [schema, options] of inputs) {
  const ajv = createAjv({ ...options, standalone: true });
  const code = standaloneCode.default(ajv, ajv.compile(schema));
  // Standalone ESM still reaches ajv's runtime helpers and ajv-formats' formats through require().
  const module = `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\n${code.replace(/^"use strict";/, '')}\n`;
  writeFileSync(fileURLToPath(compiledFile(schema, options)), module);
}
process.stderr.write(`compiled ${readdirSync(dir).length} input validators into dist/runtime/compiled/\n`);
