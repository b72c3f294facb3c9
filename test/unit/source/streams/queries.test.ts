/**
 * Every query the source can send — each stream × each supported API version × with and without a
 * window filter — parses, validates against the real Admin schema of that version, and (bulk streams)
 * obeys Shopify's bulk-query rules.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, validate } from 'graphql';
import { loadAdminSchema } from '../../../../src/simulator/schema.js';
import { ALL_STREAMS } from '../../../../src/source/streams/index.js';
import { PACKAGE_ROOT } from '../../../../src/runtime/files.js';
import { validateBulkQuery } from '../../../../src/simulator/bulk/validate.js';
import { bulkRuleErrors } from '../../../support/bulk-rules.js';

const spec = JSON.parse(readFileSync(`${PACKAGE_ROOT}schemas/spec.source.json`, 'utf8')) as {
  connectionSpecification: { properties: { api_version: { enum: string[] } } };
};
const VERSIONS = spec.connectionSpecification.properties.api_version.enum;
const FILTERS = [undefined, "updated_at:>='2024-01-01T00:00:00Z' AND updated_at:<'2024-02-01T00:00:00Z'"];

describe('stream queries', () => {
  it('cover the three supported versions', () => {
    expect([...VERSIONS].sort()).toEqual(['2025-01', '2026-04', '2026-07']);
  });

  for (const version of VERSIONS) {
    for (const stream of ALL_STREAMS) {
      for (const filter of FILTERS) {
        it(`${stream.name} on ${version} ${filter ? 'with' : 'without'} a filter is valid`, () => {
          const text = stream.extraction.query({ apiVersion: version, filter });
          const errors = validate(loadAdminSchema(version), parse(text)).map((e) => e.message);
          expect(errors).toEqual([]);
          if (stream.extraction.kind !== 'bulk') return;
          expect(bulkRuleErrors(loadAdminSchema(version), text)).toEqual([]);
          // and the simulator's independent implementation of the same rules agrees
          expect(validateBulkQuery(text, version).errors).toEqual([]);
        });
      }
    }
  }

  it('differ by version where the schemas differ (a newer query is rejected by 2025-01)', () => {
    const newest = ALL_STREAMS.map((s) => s.extraction.query({ apiVersion: '2026-07', filter: undefined }));
    const rejected = newest.filter((text) => validate(loadAdminSchema('2025-01'), parse(text)).length > 0);
    expect(rejected.length).toBeGreaterThanOrEqual(3);
  });

  it('put the window filter into the query of every incremental stream', () => {
    const filter = "updated_at:>='2024-01-01T00:00:00Z' AND updated_at:<'2024-02-01T00:00:00Z'";
    for (const stream of ALL_STREAMS.filter((s) => s.cursorField !== undefined)) {
      expect(stream.extraction.query({ apiVersion: '2026-07', filter }), stream.name).toContain(JSON.stringify(filter));
    }
  });
});

describe('bulk rule checker', () => {
  const schema = () => loadAdminSchema('2026-07');
  const cases: Array<[string, string, RegExp]> = [
    ['no connection', '{ shop { id } }', /at least one connection/],
    ['top-level node', '{ node(id: "gid://shopify/Product/1") { id } }', /top level `node`/],
    ['nodes form', '{ products { nodes { id } } }', /'edges' > 'node'/],
    ['nested without parent id', '{ products { edges { node { title variants { edges { node { id } } } } } } }', /Connection fields without 'id': variants/],
    ['aliased parent id', '{ products { edges { node { pid: id variants { edges { node { id } } } } } } }', /without an alias/],
    ['depth 3', '{ collections { edges { node { id products { edges { node { id variants { edges { node { id metafields { edges { node { id } } } } } } } } } } } } }', /nesting depth greater than 2/],
    ['six connections', `{ products { edges { node { id ${['a', 'b', 'c', 'd', 'e'].map((a) => `${a}: metafields { edges { node { id } } }`).join(' ')} } } } }`, /more than 5 connections/],
    ['connection in a list field', '{ orders { edges { node { id fulfillments { id events { edges { node { id } } } } } } } }', /within a list field/],
    ['mutation', 'mutation { bulkOperationCancel(id: "gid://shopify/BulkOperation/1") { userErrors { message } } }', /Only `query` operations/],
  ];
  for (const [name, query, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(bulkRuleErrors(schema(), query).join('\n')).toMatch(message);
    });
  }

  it('accepts two nested levels under the root (three chained connections)', () => {
    expect(bulkRuleErrors(schema(), '{ products { edges { node { id media { edges { node { id ... on MediaImage { metafields { edges { node { id } } } } } } } } } } }')).toEqual([]);
  });
});
