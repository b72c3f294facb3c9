/**
 * Loads the real Shopify Admin GraphQL schemas (vendored, gzipped, under `schemas/shopify/` at the
 * package root) and maps any API version to the nearest schema we hold.
 *
 * Usage (also from other test suites, to validate their queries):
 *   const schema = loadAdminSchema('2026-07');        // cached, built lazily on first use
 *   const errors = validate(schema, parse(queryText));
 *
 * Versions before 2025-07 use the official 2025-01 introspection JSON; 2025-07..2026-04 use the 2026-04
 * SDL; 2026-07 and later use the 2026-07 SDL. Behaviour that differs inside one schema's range (for
 * example `bulkOperation(id:)` appearing in 2026-01) is gated by the simulator on the requested version.
 */
import { readFileSync, existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { buildClientSchema, buildSchema } from 'graphql';
import type { GraphQLSchema, IntrospectionQuery } from 'graphql';

export const SCHEMA_VERSIONS = ['2025-01', '2026-04', '2026-07'] as const;
export type SchemaVersion = (typeof SCHEMA_VERSIONS)[number];

const FILES: Record<SchemaVersion, string> = {
  '2025-01': 'admin-2025-01.schema.json.gz',
  '2026-04': 'admin-2026-04.schema.graphql.gz',
  '2026-07': 'admin-2026-07.schema.graphql.gz',
};

/** Maps an API version (`2025-10`, `unstable`, …) to the schema version used to validate and execute it. */
export function resolveSchemaVersion(version: string): SchemaVersion {
  if (version === 'unstable') return '2026-07';
  if (version < '2025-07') return '2025-01';
  if (version < '2026-07') return '2026-04';
  return '2026-07';
}

/** Directory holding the vendored schema files (works from src/ under vitest and from dist/). */
export function vendoredSchemaDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i += 1) {
    const candidate = join(dir, 'schemas', 'shopify');
    if (existsSync(join(candidate, FILES['2026-07']))) return candidate;
    dir = dirname(dir);
  }
  throw new Error('vendored Shopify schemas (schemas/shopify/*.gz) not found');
}

/** Path of the gzipped vendored copy for a schema version. */
export function vendoredSchemaPath(version: SchemaVersion): string {
  return join(vendoredSchemaDir(), FILES[version]);
}

/** The uncompressed file name of a schema version (as in the shared reference folder). */
export function schemaFileName(version: SchemaVersion): string {
  return FILES[version].replace(/\.gz$/, '');
}

const cache = new Map<SchemaVersion, GraphQLSchema>();

/** The Admin schema for an API version (nearest we hold), built once per process. */
export function loadAdminSchema(version: string): GraphQLSchema {
  const key = resolveSchemaVersion(version);
  const cached = cache.get(key);
  if (cached) return cached;
  const text = gunzipSync(readFileSync(vendoredSchemaPath(key))).toString('utf8');
  const schema = key === '2025-01'
    ? buildClientSchema((JSON.parse(text) as { data: IntrospectionQuery }).data)
    : buildSchema(text, { assumeValidSDL: true });
  cache.set(key, schema);
  return schema;
}
