/**
 * Requested query cost (reference §3.1): scalars and enums 0, objects 1, connections 2 plus `first`
 * (or `last`) times the cost of one node, each mutation field 10.
 */
import { Kind, getNamedType, getNullableType, isCompositeType, isObjectType, valueFromASTUntyped } from 'graphql';
import type { DocumentNode, FragmentDefinitionNode, GraphQLCompositeType, GraphQLSchema, OperationDefinitionNode, SelectionSetNode } from 'graphql';
import { isConnectionType } from './values.js';

type Vars = Record<string, unknown>;

interface CostWalk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Vars;
}

function selectionCost(walk: CostWalk, set: SelectionSetNode | undefined, type: GraphQLCompositeType): number {
  if (!set) return 0;
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.INLINE_FRAGMENT) {
      const cond = selection.typeCondition ? walk.schema.getType(selection.typeCondition.name.value) : type;
      total += selectionCost(walk, selection.selectionSet, (isCompositeType(cond) ? cond : type));
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const fragment = walk.fragments.get(selection.name.value);
      const cond = fragment ? walk.schema.getType(fragment.typeCondition.name.value) : undefined;
      if (fragment) total += selectionCost(walk, fragment.selectionSet, isCompositeType(cond) ? cond : type);
      continue;
    }
    if (!('getFields' in type)) continue;
    const def = type.getFields()[selection.name.value];
    if (!def) continue;
    const named = getNamedType(def.type);
    if (!isCompositeType(named)) continue;
    if (isConnectionType(def.type)) {
      const args: Vars = {};
      for (const arg of selection.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value, walk.variables);
      const size = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : 0;
      const connection = getNullableType(def.type);
      let perNode = 0;
      for (const inner of selection.selectionSet?.selections ?? []) {
        if (inner.kind !== Kind.FIELD || !isObjectType(connection)) continue;
        const innerDef = connection.getFields()[inner.name.value];
        if (!innerDef) continue;
        const innerType = getNamedType(innerDef.type);
        if (inner.name.value === 'nodes' && isCompositeType(innerType)) perNode = Math.max(perNode, 1 + selectionCost(walk, inner.selectionSet, innerType));
        if (inner.name.value === 'edges' && isCompositeType(innerType)) perNode = Math.max(perNode, selectionCost(walk, inner.selectionSet, innerType));
      }
      total += 2 + size * perNode;
    } else {
      total += 1 + selectionCost(walk, selection.selectionSet, named);
    }
  }
  return total;
}

export function requestedCost(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Vars): number {
  if (operation.operation === 'mutation') {
    return operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD && s.name.value !== '__typename').length * 10;
  }
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const root = schema.getQueryType();
  return root ? selectionCost({ schema, fragments, variables }, operation.selectionSet, root) : 0;
}
