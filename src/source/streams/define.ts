/**
 * How a stream is declared: one object per stream, in one file named after it, listed in index.ts.
 * Discover, read and the tests iterate that list; a stream name is never retyped elsewhere.
 */
import { readFileSync } from 'node:fs';
import { PACKAGE_ROOT } from '../../runtime/files.js';

export type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown> };
export type SourceRecord = Record<string, unknown>;

/**
 * A node of a bulk result with its nested-connection children attached. Children are grouped by the
 * type name in their gid (`gid://shopify/LineItem/1` → `LineItem`), in file order.
 */
export interface BulkNode {
  [field: string]: unknown;
  __children?: Record<string, BulkNode[]>;
}

export interface QueryContext {
  apiVersion: string;
  /** Shopify search syntax for the slice, e.g. `updated_at:>='2024-01-01T00:00:00Z' AND updated_at:<'2024-02-01T00:00:00Z'`. Undefined: no filter. */
  filter: string | undefined;
}

export interface RecordContext {
  /** The shop handle, written to every record's `shop_url`. */
  shop: string;
}

/** Extraction through one bulk operation per slice. */
export interface BulkExtraction {
  kind: 'bulk';
  /** The bulk query text (validated in tests against each supported version's schema and the bulk rules). */
  query(ctx: QueryContext): string;
  /** Records for one reassembled root node (usually one; metafield streams yield one per child). */
  toRecords(node: BulkNode, ctx: RecordContext): Iterable<SourceRecord>;
  /**
   * For each nested connection whose children Shopify may cut off, the number of children the parent
   * says it has (e.g. from `variantsCount`), keyed by child type name. Fewer children than that is an error.
   */
  expectedChildren?(node: BulkNode): Record<string, number>;
}

/** Extraction through one plain GraphQL query (small, single-object streams such as `shop`). */
export interface GraphqlExtraction {
  kind: 'graphql';
  query(ctx: QueryContext): string;
  toRecords(data: Record<string, unknown>, ctx: RecordContext): Iterable<SourceRecord>;
}

export interface StreamDefinition {
  name: string;
  /** Field paths; `[['id']]` for nearly every stream. */
  primaryKey: string[][];
  /** `updated_at` for incremental streams; undefined for full-refresh-only streams. */
  cursorField: string | undefined;
  /** Access scopes the token needs (any one list entry missing → the stream is left out of discover). */
  scopes: string[];
  schema: JsonSchema;
  extraction: BulkExtraction | GraphqlExtraction;
}

/** Reads `schemas/streams/<name>.json`. */
export function streamSchema(name: string): JsonSchema {
  return JSON.parse(readFileSync(`${PACKAGE_ROOT}schemas/streams/${name}.json`, 'utf8')) as JsonSchema;
}

export function defineStream(definition: Omit<StreamDefinition, 'schema'> & { schema?: JsonSchema }): StreamDefinition {
  return Object.freeze({ ...definition, schema: definition.schema ?? streamSchema(definition.name) });
}
