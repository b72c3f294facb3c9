/**
 * One GraphQL request, Shopify style: parse, validate against the version's real schema (plus version
 * gates), price it, charge the token's bucket, execute with the store resolvers, and answer with
 * `extensions.cost` (reference §3.1).
 */
import { GraphQLError, Kind, execute, getOperationAST, parse, specifiedRules, validate } from 'graphql';
import type { DocumentNode, OperationDefinitionNode } from 'graphql';
import { MAX_SINGLE_QUERY_COST } from '../bucket.js';
import type { CostBuckets } from '../bucket.js';
import type { RequestKind } from '../faults.js';
import { loadAdminSchema } from '../schema.js';
import type { ExecContext } from './context.js';
import { requestedCost } from './cost.js';
import { executionError, shopifyValidationError, syntaxMessage } from './errors.js';
import { fieldResolver, typeResolver } from './resolvers.js';
import { createRootValue } from './roots.js';
import { globalIdLiteralRule, isGlobalId, versionGateRule } from './rules.js';

export interface GraphQLRequest {
  query: string;
  variables?: Record<string, unknown>;
  operationName?: string;
}

export interface GraphQLAnswer {
  body: Record<string, unknown>;
  kind: RequestKind;
  bulkOperationId?: string;
  throttled?: boolean;
}

const rootValue = createRootValue();
const POLL_FIELDS = new Set(['node', 'nodes', 'bulkOperation', 'bulkOperations', 'currentBulkOperation']);

/** Classifies a parsed request for fault matching and the request log. */
export function classify(operation: OperationDefinitionNode | null | undefined): RequestKind {
  if (!operation) return 'invalid';
  const fields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  if (operation.operation === 'mutation') {
    if (fields.includes('bulkOperationRunQuery')) return 'bulkOperationRunQuery';
    if (fields.includes('bulkOperationCancel')) return 'cancel';
    return 'mutation';
  }
  return fields.some((name) => POLL_FIELDS.has(name)) ? 'poll' : 'query';
}

export function parseRequest(request: GraphQLRequest): { document?: DocumentNode; operation?: OperationDefinitionNode; error?: GraphQLError } {
  try {
    const document = parse(request.query);
    return { document, operation: getOperationAST(document, request.operationName) ?? undefined };
  } catch (error) {
    return { error: error as GraphQLError };
  }
}

function invalidVariables(operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> | undefined {
  for (const def of operation.variableDefinitions ?? []) {
    let type = def.type;
    const nonNull = type.kind === Kind.NON_NULL_TYPE;
    if (type.kind === Kind.NON_NULL_TYPE) type = type.type;
    if (type.kind !== Kind.NAMED_TYPE || type.name.value !== 'ID') continue;
    const value = variables[def.variable.name.value];
    if (typeof value === 'string' && !isGlobalId(value)) {
      return {
        message: `Variable $${def.variable.name.value} of type ID${nonNull ? '!' : ''} was provided invalid value`,
        locations: [{ line: def.loc?.startToken.line ?? 1, column: def.loc?.startToken.column ?? 1 }],
        extensions: { code: 'INVALID_VARIABLE', value, problems: [{ path: [], explanation: `Invalid global id '${value}'`, message: `Invalid global id '${value}'` }] },
      };
    }
  }
  return undefined;
}

export function handleGraphQL(request: GraphQLRequest, context: ExecContext, buckets: CostBuckets, forceThrottle = false): GraphQLAnswer {
  const schema = loadAdminSchema(context.version);
  context.schema = schema;
  const parsed = parseRequest(request);
  if (!parsed.document || parsed.error) {
    const loc = parsed.error?.locations?.[0];
    return { kind: 'invalid', body: { errors: [{ message: syntaxMessage(parsed.error ?? new GraphQLError('')), ...(loc ? { locations: [{ line: loc.line, column: loc.column }] } : {}) }] } };
  }
  const operation = parsed.operation;
  const kind = classify(operation);
  const label = operation ? `${operation.operation}${operation.name ? ` ${operation.name.value}` : ''}` : 'query';
  const rules = [...specifiedRules, versionGateRule(context.version), globalIdLiteralRule(label)];
  const invalid = validate(schema, parsed.document, rules);
  if (invalid.length || !operation) {
    const errors = invalid.length ? invalid.map(shopifyValidationError) : [{ message: 'An operation name is required', extensions: { code: 'validationError' } }];
    return { kind, body: { errors } };
  }
  const variables = request.variables ?? {};
  const badVariable = invalidVariables(operation, variables);
  if (badVariable) return { kind, body: { errors: [badVariable] } };
  const requested = requestedCost(schema, parsed.document, operation, variables);
  const costOf = (actual: number | null) => ({ requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: buckets.status(context.token) });
  if (requested > MAX_SINGLE_QUERY_COST) {
    return {
      kind,
      body: {
        errors: [{ message: `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_SINGLE_QUERY_COST}).`, extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: MAX_SINGLE_QUERY_COST, documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: costOf(null) },
      },
    };
  }
  if (forceThrottle || !buckets.take(context.token, requested)) {
    return {
      kind,
      throttled: true,
      body: {
        errors: [{ message: 'Throttled', extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' } }],
        extensions: { cost: costOf(null) },
      },
    };
  }
  const result = execute({ schema, document: parsed.document, rootValue, contextValue: context, variableValues: variables, operationName: request.operationName, fieldResolver, typeResolver });
  if ('then' in result) throw new Error('execution must be synchronous');
  const body: Record<string, unknown> = {};
  if (result.errors?.length) body.errors = result.errors.map(executionError);
  body.data = result.data ?? null;
  const extensions: Record<string, unknown> = { cost: costOf(requested) };
  if (context.searchNotes.length) extensions.search = context.searchNotes;
  body.extensions = extensions;
  return { kind, body, bulkOperationId: bulkIdOf(kind, result.data, variables, operation) };
}

function bulkIdOf(kind: RequestKind, data: unknown, variables: Record<string, unknown>, operation: OperationDefinitionNode): string | undefined {
  if (kind === 'bulkOperationRunQuery') {
    const id = (data as { bulkOperationRunQuery?: { bulkOperation?: { id?: unknown } | null } } | null | undefined)?.bulkOperationRunQuery?.bulkOperation?.id;
    return typeof id === 'string' ? id : undefined;
  }
  if (kind !== 'poll' && kind !== 'cancel') return undefined;
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD) continue;
    for (const arg of selection.arguments ?? []) {
      if (arg.name.value !== 'id') continue;
      const value = arg.value.kind === Kind.STRING ? arg.value.value : arg.value.kind === Kind.VARIABLE ? variables[arg.value.name.value] : undefined;
      if (typeof value === 'string' && value.includes('/BulkOperation/')) return value;
    }
  }
  return undefined;
}
