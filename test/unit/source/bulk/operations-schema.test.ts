/** Every GraphQL document the machinery sends (run, poll, cancel, scope check) is valid on each supported version. */
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadAdminSchema } from '../../../../src/simulator/schema.js';
import { CANCEL_MUTATION, parseOperation, pollQuery, runMutation } from '../../../../src/source/bulk/operations.js';
import { SCOPES_QUERY } from '../../../../src/source/scopes.js';
import { loadSpec } from '../../../../src/runtime/spec.js';

const versions = (loadSpec('spec.source.json').connectionSpecification as { properties: { api_version: { enum: string[] } } }).properties.api_version.enum;

describe('bulk operation documents', () => {
  it.each(versions)('validate against the %s schema', (version) => {
    const schema = loadAdminSchema(version);
    for (const doc of [runMutation(version), pollQuery(version), CANCEL_MUTATION, SCOPES_QUERY]) {
      expect(validate(schema, parse(doc)).map((e) => e.message), doc).toEqual([]);
    }
  });

  it('uses groupObjects and bulkOperation(id:) only where the version has them', () => {
    expect(runMutation('2025-01')).not.toMatch(/groupObjects/);
    expect(runMutation('2026-07')).toMatch(/groupObjects: \$groupObjects/);
    expect(pollQuery('2025-01')).toMatch(/node\(id: \$id\)/);
    expect(pollQuery('2026-04')).toMatch(/bulkOperation\(id: \$id\)/);
  });

  it('reads UnsignedInt64 counters sent as strings', () => {
    const op = parseOperation({ id: 'gid://shopify/BulkOperation/1', status: 'COMPLETED', objectCount: '4', rootObjectCount: '1', fileSize: '679', url: 'https://x', errorCode: null });
    expect(op).toMatchObject({ objectCount: 4, rootObjectCount: 1, fileSize: 679, url: 'https://x' });
  });
});
