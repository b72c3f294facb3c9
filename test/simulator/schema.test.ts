import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, validate } from 'graphql';
import { SCHEMA_VERSIONS, loadAdminSchema, resolveSchemaVersion, schemaFileName, vendoredSchemaPath } from '../../src/simulator/schema.js';

const shared = join(process.cwd(), '..', 'shared', 'shopify');

describe('vendored Admin schemas', () => {
  for (const version of SCHEMA_VERSIONS) {
    it.skipIf(!existsSync(shared))(`${version} is byte-identical to the shared copy`, () => {
      const vendored = gunzipSync(readFileSync(vendoredSchemaPath(version)));
      const original = readFileSync(join(shared, schemaFileName(version)));
      expect(vendored.equals(original)).toBe(true);
    });
  }

  it('maps versions to the nearest schema', () => {
    expect(resolveSchemaVersion('2024-10')).toBe('2025-01');
    expect(resolveSchemaVersion('2025-04')).toBe('2025-01');
    expect(resolveSchemaVersion('2025-10')).toBe('2026-04');
    expect(resolveSchemaVersion('2026-01')).toBe('2026-04');
    expect(resolveSchemaVersion('2026-07')).toBe('2026-07');
    expect(resolveSchemaVersion('unstable')).toBe('2026-07');
  });

  it('loads each schema once and has the types the connector needs', () => {
    for (const version of SCHEMA_VERSIONS) {
      const schema = loadAdminSchema(version);
      expect(loadAdminSchema(version)).toBe(schema);
      for (const type of ['Order', 'Product', 'ProductVariant', 'Customer', 'InventoryItem', 'InventoryLevel', 'Location', 'Collection', 'Metafield', 'BulkOperation']) {
        expect(schema.getType(type), `${type} in ${version}`).toBeDefined();
      }
    }
    expect(loadAdminSchema('2025-01').getQueryType()?.getFields().bulkOperations).toBeUndefined();
    expect(loadAdminSchema('2026-07').getQueryType()?.getFields().bulkOperations).toBeDefined();
  });

  it('validates with the real schema of each version', () => {
    const mutation = 'mutation { inventorySetScheduledChanges(input: {reason: "x", items: [], referenceDocumentUri: "x"}) { userErrors { message } } }';
    expect(validate(loadAdminSchema('2026-04'), parse(mutation)).map((e) => e.message).filter((m) => m.includes('Cannot query field'))).toEqual([]);
    expect(validate(loadAdminSchema('2026-07'), parse(mutation)).map((e) => e.message)).toContain('Cannot query field "inventorySetScheduledChanges" on type "Mutation".');
  });
});
