/**
 * Bulk query analysis: enforces the bulk-query rules with Shopify's exact messages (reference §0,
 * §1.5) and produces the connection tree the job runner walks to split results into JSONL lines.
 */
import { Kind, getNamedType, getNullableType, isListType, isObjectType } from 'graphql';
import type {
  DocumentNode, FieldNode, FragmentDefinitionNode, GraphQLCompositeType, GraphQLField, GraphQLSchema, SelectionSetNode,
} from 'graphql';
import { isConnectionType } from '../graphql/values.js';

/** A connection in the bulk query: where its nodes sit in the result and which connections they hold. */
export interface ConnectionPlan {
  /** Field name in the schema (`orders`, `lineItems`). */
  name: string;
  /** Response keys from the parent node (or data root) down to the connection object. */
  path: string[];
  /** Response keys from the connection object to the list of nodes: ['edges', 'node'] or ['nodes']. */
  edgesKey?: string;
  nodeKey?: string;
  nodesKey?: string;
  field: FieldNode;
  children: ConnectionPlan[];
}

export interface BulkAnalysis {
  errors: string[];
  roots: ConnectionPlan[];
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  requireEdges: boolean;
  count: number;
  tooDeep: boolean;
  inList: boolean;
  nodesFields: string[];
  missingId: string[];
}

function fieldsOf(walk: Walk, set: SelectionSetNode | undefined, type: GraphQLCompositeType, out: Array<{ node: FieldNode; type: GraphQLCompositeType }> = []): Array<{ node: FieldNode; type: GraphQLCompositeType }> {
  if (!set) return out;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) out.push({ node: selection, type });
    else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const cond = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : type;
      fieldsOf(walk, selection.selectionSet, (cond ?? type) as GraphQLCompositeType, out);
    } else {
      const fragment = walk.fragments.get(selection.name.value);
      if (fragment) fieldsOf(walk, fragment.selectionSet, (walk.schema.getType(fragment.typeCondition.name.value) ?? type) as GraphQLCompositeType, out);
    }
  }
  return out;
}

function fieldDef(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return 'getFields' in type ? type.getFields()[name] : undefined;
}

function keyOf(node: FieldNode): string {
  return node.alias?.value ?? node.name.value;
}

function hasPlainId(walk: Walk, set: SelectionSetNode | undefined, type: GraphQLCompositeType): boolean {
  return fieldsOf(walk, set, type).some(({ node }) => node.name.value === 'id' && (!node.alias || node.alias.value === 'id'));
}

/** Collects connections under a node selection (or the query root), depth = nesting of the parent. */
function collect(walk: Walk, set: SelectionSetNode | undefined, type: GraphQLCompositeType, depth: number, path: string[], inList: boolean, parentName: string | undefined, parentHasId: boolean): ConnectionPlan[] {
  const plans: ConnectionPlan[] = [];
  for (const { node, type: owner } of fieldsOf(walk, set, type)) {
    const def = fieldDef(owner, node.name.value);
    if (!def) continue;
    if (isConnectionType(def.type)) {
      walk.count += 1;
      if (depth > 2) walk.tooDeep = true;
      if (inList) walk.inList = true;
      if (parentName !== undefined && !parentHasId && !walk.missingId.includes(parentName)) walk.missingId.push(parentName);
      plans.push(connection(walk, node, getNullableType(def.type) as GraphQLCompositeType, depth, [...path, keyOf(node)]));
      continue;
    }
    const named = getNamedType(def.type);
    if (node.selectionSet && !isListTypeDeep(def.type) && isComposite(named)) {
      plans.push(...collect(walk, node.selectionSet, named, depth, [...path, keyOf(node)], inList, parentName, parentHasId));
    } else if (node.selectionSet && isComposite(named)) {
      plans.push(...collect(walk, node.selectionSet, named, depth, [...path, keyOf(node)], true, parentName, parentHasId));
    }
  }
  return plans;
}

function isComposite(type: unknown): type is GraphQLCompositeType {
  return type !== null && typeof type === 'object' && 'name' in type && !('serialize' in type);
}

function isListTypeDeep(type: unknown): boolean {
  return isListType(getNullableType(type as never));
}

function connection(walk: Walk, field: FieldNode, type: GraphQLCompositeType, depth: number, path: string[]): ConnectionPlan {
  const plan: ConnectionPlan = { name: field.name.value, path, field, children: [] };
  for (const { node, type: owner } of fieldsOf(walk, field.selectionSet, type)) {
    const def = fieldDef(owner, node.name.value);
    if (!def) continue;
    if (node.name.value === 'edges') {
      plan.edgesKey = keyOf(node);
      const edgeType = getNamedType(def.type) as GraphQLCompositeType;
      for (const inner of fieldsOf(walk, node.selectionSet, edgeType)) {
        if (inner.node.name.value !== 'node') continue;
        plan.nodeKey = keyOf(inner.node);
        const nodeType = getNamedType(fieldDef(inner.type, 'node')?.type ?? def.type) as GraphQLCompositeType;
        plan.children.push(...collect(walk, inner.node.selectionSet, nodeType, depth + 1, [], false, field.name.value, hasPlainId(walk, inner.node.selectionSet, nodeType)));
      }
    } else if (node.name.value === 'nodes') {
      plan.nodesKey = keyOf(node);
      if (walk.requireEdges && !walk.nodesFields.includes(field.name.value)) walk.nodesFields.push(field.name.value);
      const nodeType = getNamedType(def.type) as GraphQLCompositeType;
      plan.children.push(...collect(walk, node.selectionSet, nodeType, depth + 1, [], false, field.name.value, hasPlainId(walk, node.selectionSet, nodeType)));
    }
  }
  return plan;
}

/** Applies the structural bulk rules to a parsed, schema-valid query document. */
export function analyseBulkQuery(schema: GraphQLSchema, document: DocumentNode, requireEdges: boolean): BulkAnalysis {
  const errors: string[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const operation = document.definitions.find((def) => def.kind === Kind.OPERATION_DEFINITION);
  const queryType = schema.getQueryType();
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION || !queryType || !isObjectType(queryType)) return { errors: ['Bulk queries must contain at least one connection.'], roots: [] };
  const walk: Walk = { schema, fragments, requireEdges, count: 0, tooDeep: false, inList: false, nodesFields: [], missingId: [] };
  const top = fieldsOf(walk, operation.selectionSet, queryType);
  for (const name of ['node', 'nodes']) {
    if (top.some(({ node }) => node.name.value === name)) errors.push(`Bulk queries cannot contain a top level \`${name}\` field.`);
  }
  const roots = collect(walk, operation.selectionSet, queryType, 0, [], false, undefined, true);
  if (walk.count > 5) errors.push('Bulk queries cannot contain more than 5 connections.');
  if (walk.tooDeep) errors.push('Bulk queries cannot contain connections with a nesting depth greater than 2.');
  if (walk.inList) errors.push('Queries that contain a connection field within a list field are not currently supported.');
  if (walk.nodesFields.length) {
    errors.push(`All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${walk.nodesFields[0]} { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: ${walk.nodesFields.map((n) => `'${n}'`).join(', ')}.`);
  }
  if (walk.missingId.length) {
    errors.push(`The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${walk.missingId.join(', ')}.`);
  }
  if (walk.count === 0) errors.push('Bulk queries must contain at least one connection.');
  return { errors, roots: roots.filter((plan) => plan.path.length === 1) };
}
