/**
 * Shopify's bulk-query restrictions, checked on a query that already validates against the schema:
 * one query operation, one top-level connection (no `node`/`nodes` root), at least one and at most five
 * connections, nesting depth at most 2 (root = 0), connections selected through `edges { node }`, a
 * nested connection's parent node selecting an unaliased `id`, no connection inside a list field, and
 * at most 65,535 bytes. Messages follow Shopify's wording where it is known.
 */
import { getNamedType, getNullableType, isListType, isObjectType, isInterfaceType, Kind, parse } from 'graphql';
import type { DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLNamedType, GraphQLOutputType, GraphQLSchema, SelectionSetNode } from 'graphql';

const MAX_BYTES = 65_535;

function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields();
}

function fieldsOf(type: GraphQLNamedType): Record<string, { type: GraphQLOutputType }> | undefined {
  return isObjectType(type) || isInterfaceType(type) ? type.getFields() : undefined;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  errors: string[];
  connections: number;
}

/** The fields of a selection set with fragments flattened, each with the type it is selected on. */
function fieldsIn(walk: Walk, set: SelectionSetNode, type: GraphQLNamedType): Array<{ field: FieldNode; on: GraphQLNamedType }> {
  const out: Array<{ field: FieldNode; on: GraphQLNamedType }> = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) out.push({ field: selection, on: type });
    else {
      const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : walk.fragments.get(selection.name.value);
      if (!fragment) continue;
      const on = fragment.typeCondition ? (walk.schema.getType(fragment.typeCondition.name.value) ?? undefined) : type;
      if (on) out.push(...fieldsIn(walk, fragment.selectionSet, on));
    }
  }
  return out;
}

function selectsPlainId(walk: Walk, set: SelectionSetNode, type: GraphQLNamedType): boolean {
  return fieldsIn(walk, set, type).some(({ field, on }) => {
    if (field.name.value !== 'id' || field.alias || on !== type) return false;
    const def = fieldsOf(type)?.id;
    return def !== undefined && getNamedType(def.type).name === 'ID';
  });
}

function visit(walk: Walk, set: SelectionSetNode, type: GraphQLNamedType, depth: number, inList: boolean, parentNode: { set: SelectionSetNode; type: GraphQLNamedType } | undefined): void {
  for (const { field, on } of fieldsIn(walk, set, type)) {
    const def = fieldsOf(on)?.[field.name.value];
    if (!def || !field.selectionSet) continue;
    const named = getNamedType(def.type);
    if (!isConnection(named)) {
      visit(walk, field.selectionSet, named, depth, inList || isListType(getNullableType(def.type)), parentNode);
      continue;
    }
    walk.connections += 1;
    const name = field.name.value;
    if (inList) walk.errors.push('Queries that contain a connection field within a list field are not currently supported.');
    if (depth > 2) walk.errors.push('Bulk queries cannot contain connections with a nesting depth greater than 2.');
    if (parentNode && !selectsPlainId(walk, parentNode.set, parentNode.type)) {
      walk.errors.push(`The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${name}.`);
    }
    const inner = fieldsIn(walk, field.selectionSet, named);
    if (inner.some(({ field: f }) => f.name.value === 'nodes') || !inner.some(({ field: f }) => f.name.value === 'edges')) {
      walk.errors.push(`All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${name} { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: '${name}'.`);
    }
    for (const { field: edges } of inner.filter(({ field: f }) => f.name.value === 'edges' && f.selectionSet)) {
      const edgeType = getNamedType(fieldsOf(named)?.edges?.type ?? named);
      for (const { field: node } of fieldsIn(walk, edges.selectionSet as SelectionSetNode, edgeType)) {
        if (node.name.value !== 'node' || !node.selectionSet) continue;
        const nodeDef = fieldsOf(edgeType)?.node;
        if (!nodeDef) continue;
        const nodeType = getNamedType(nodeDef.type);
        visit(walk, node.selectionSet, nodeType, depth + 1, false, { set: node.selectionSet, type: nodeType });
      }
    }
  }
}

/** Violations of the bulk-query rules (empty when the query is acceptable). */
export function bulkRuleErrors(schema: GraphQLSchema, query: string): string[] {
  const bytes = Buffer.byteLength(query, 'utf8');
  if (bytes > MAX_BYTES) return [`Query is too large (${bytes} bytes; maximum is ${MAX_BYTES} bytes)`];
  const document: DocumentNode = parse(query);
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const operation = operations[0];
  if (operations.length !== 1 || !operation) return ['A bulk query must contain exactly one operation.'];
  if (operation.operation !== 'query') return ['Invalid operation type. Only `query` operations are supported.'];
  const root = schema.getQueryType();
  if (!root) return ['The schema has no query root.'];
  const walk: Walk = { schema, fragments, errors: [], connections: 0 };
  const top = fieldsIn(walk, operation.selectionSet, root);
  if (top.some(({ field }) => field.name.value === 'node')) walk.errors.push('Bulk queries cannot contain a top level `node` field.');
  if (top.some(({ field }) => field.name.value === 'nodes')) walk.errors.push('Bulk queries cannot contain a top level `nodes` field.');
  if (top.length !== 1) walk.errors.push('A bulk query must select exactly one top-level field.');
  visit(walk, operation.selectionSet, root, 0, false, undefined);
  if (walk.connections === 0) walk.errors.push('Bulk queries must contain at least one connection.');
  if (walk.connections > 5) walk.errors.push('Bulk queries cannot contain more than 5 connections.');
  return walk.errors;
}
