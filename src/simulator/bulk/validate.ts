/**
 * Validation of the query text handed to bulkOperationRunQuery, in Shopify's order and words
 * (reference §1.5): size limit, syntax, operation type, schema validity, then the bulk rules.
 */
import { Kind, parse, validate } from 'graphql';
import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';
import { loadAdminSchema } from '../schema.js';
import { bulkRequiresEdges } from '../versions.js';
import { shopifyValidationError, syntaxMessage } from '../graphql/errors.js';
import { analyseBulkQuery } from './plan.js';
import type { BulkAnalysis } from './plan.js';

export const MAX_BULK_QUERY_BYTES = 65_535;

export interface BulkValidation {
  errors: string[];
  document?: DocumentNode;
  analysis?: BulkAnalysis;
  schema: GraphQLSchema;
}

export function validateBulkQuery(query: string, version: string): BulkValidation {
  const schema = loadAdminSchema(version);
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > MAX_BULK_QUERY_BYTES) return { schema, errors: [`Query is too large (${bytes} bytes; maximum is ${MAX_BULK_QUERY_BYTES} bytes)`] };
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (error) {
    return { schema, errors: [`Invalid bulk query: ${syntaxMessage(error as GraphQLError)}`] };
  }
  const operations = document.definitions.filter((def) => def.kind === Kind.OPERATION_DEFINITION);
  if (operations.some((op) => op.kind === Kind.OPERATION_DEFINITION && op.operation !== 'query')) {
    return { schema, errors: ['Invalid operation type. Only `query` operations are supported.'] };
  }
  const invalid = validate(schema, document);
  if (invalid.length) return { schema, errors: invalid.map((error) => `Invalid bulk query: ${shopifyValidationError(error).message}`) };
  const analysis = analyseBulkQuery(schema, document, bulkRequiresEdges(version));
  return { schema, errors: analysis.errors, document, analysis };
}
