/**
 * The official Airbyte protocol schema (vendored under schemas/airbyte/), loaded once. The runtime reads
 * the JSON copy that `npm run generate` derives from the vendored YAML (kept equal by the generated-types
 * test): parsing the YAML at startup cost ~200 ms of CPU per command.
 */
import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from './files.js';

let cached: { definitions: Record<string, unknown> } | undefined;

export function protocolSchema(): { definitions: Record<string, unknown> } {
  cached ??= JSON.parse(readFileSync(`${PACKAGE_ROOT}schemas/airbyte/airbyte_protocol.json`, 'utf8')) as { definitions: Record<string, unknown> };
  return cached;
}

/** A standalone schema for one protocol definition (its `$ref`s resolve against the full document). */
export function protocolDefinition(name: string): object {
  const schema = protocolSchema();
  if (!(name in schema.definitions)) throw new Error(`No definition ${name} in the Airbyte protocol schema`);
  return { $schema: 'http://json-schema.org/draft-07/schema#', definitions: schema.definitions, $ref: `#/definitions/${name}` };
}
