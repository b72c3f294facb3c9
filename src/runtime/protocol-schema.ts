/**
 * The official Airbyte protocol schema (vendored under schemas/airbyte/), loaded once. The connectors read
 * the JSON copy `npm run generate` makes of the vendored YAML: parsing the YAML took ~0.2 s of CPU at
 * every start (the YAML parser's import included), JSON.parse of the copy about a millisecond.
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
