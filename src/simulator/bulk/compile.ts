/**
 * Field plans for the bulk writer: the query's selections collected per concrete type (aliases,
 * fragments, type conditions, @skip/@include, merged duplicate keys) with argument values coerced
 * once, so executing a node is a tight loop instead of a full graphql execution per field.
 */
import { Kind, getArgumentValues, getNamedType, getNullableType, isAbstractType, isLeafType, isListType, isObjectType } from 'graphql';
import type {
  FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLNamedType, GraphQLObjectType, GraphQLOutputType, GraphQLSchema, SelectionNode,
} from 'graphql';
import { isConnectionType } from '../graphql/values.js';

export interface FieldPlan {
  key: string;
  /** `"key":` ready to concatenate. */
  keyJson: string;
  name: string;
  kind: 'typename' | 'leaf' | 'object' | 'connection';
  args: Record<string, unknown>;
  returnType: GraphQLOutputType;
  named: GraphQLNamedType;
  nodes: FieldNode[];
  /** How many list wrappers the return type has. */
  depth: number;
  /** Sub-plans per concrete object type (objects and connection nodes). */
  sub: Map<string, FieldPlan[]>;
  /** For connections: the node type and the `node` / `nodes` selections. */
  connection?: { nodeType: GraphQLNamedType; selections: SelectionNode[] };
}

export class PlanCompiler {
  constructor(readonly schema: GraphQLSchema, readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>) {}

  private skipped(node: SelectionNode): boolean {
    for (const directive of node.directives ?? []) {
      const arg = directive.arguments?.find((a) => a.name.value === 'if');
      const value = arg?.value.kind === Kind.BOOLEAN ? arg.value.value : undefined;
      if (directive.name.value === 'skip' && value === true) return true;
      if (directive.name.value === 'include' && value === false) return true;
    }
    return false;
  }

  private applies(type: GraphQLObjectType, condition: string | undefined): boolean {
    if (!condition || condition === type.name) return true;
    const cond = this.schema.getType(condition);
    return cond !== undefined && isAbstractType(cond) && this.schema.isSubType(cond, type);
  }

  private collect(type: GraphQLObjectType, selections: readonly SelectionNode[], out: Map<string, FieldNode[]>): void {
    for (const selection of selections) {
      if (this.skipped(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = out.get(key);
        if (list) list.push(selection);
        else out.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (this.applies(type, selection.typeCondition?.name.value)) this.collect(type, selection.selectionSet.selections, out);
      } else {
        const fragment = this.fragments.get(selection.name.value);
        if (fragment && this.applies(type, fragment.typeCondition.name.value)) this.collect(type, fragment.selectionSet.selections, out);
      }
    }
  }

  /** Plans for the fields selected by `selections` on a concrete object type. */
  plan(type: GraphQLObjectType, selections: readonly SelectionNode[]): FieldPlan[] {
    const grouped = new Map<string, FieldNode[]>();
    this.collect(type, selections, grouped);
    const plans: FieldPlan[] = [];
    for (const [key, nodes] of grouped) {
      const first = nodes[0];
      if (!first) continue;
      const name = first.name.value;
      const keyJson = `${JSON.stringify(key)}:`;
      if (name === '__typename') {
        plans.push({ key, keyJson, name, kind: 'typename', args: {}, returnType: type, named: type, nodes, depth: 0, sub: new Map() });
        continue;
      }
      const def: GraphQLField<unknown, unknown> | undefined = type.getFields()[name];
      if (!def) continue;
      const named = getNamedType(def.type);
      const kind = isLeafType(named) ? 'leaf' : isConnectionType(def.type) ? 'connection' : 'object';
      const plan: FieldPlan = { key, keyJson, name, kind, args: getArgumentValues(def, first, {}), returnType: def.type, named, nodes, depth: listDepth(def.type), sub: new Map() };
      if (kind === 'connection') plan.connection = this.connectionNodes(def, nodes);
      plans.push(plan);
    }
    return plans;
  }

  private connectionNodes(def: GraphQLField<unknown, unknown>, nodes: FieldNode[]): { nodeType: GraphQLNamedType; selections: SelectionNode[] } {
    const connection = getNullableType(def.type) as GraphQLObjectType;
    const nodesField = connection.getFields().nodes;
    const nodeType = getNamedType(nodesField?.type ?? def.type);
    const selections: SelectionNode[] = [];
    for (const field of nodes) {
      for (const inner of field.selectionSet?.selections ?? []) {
        if (inner.kind !== Kind.FIELD) continue;
        if (inner.name.value === 'nodes') selections.push(...(inner.selectionSet?.selections ?? []));
        if (inner.name.value === 'edges') {
          for (const edgeField of inner.selectionSet?.selections ?? []) {
            if (edgeField.kind === Kind.FIELD && edgeField.name.value === 'node') selections.push(...(edgeField.selectionSet?.selections ?? []));
          }
        }
      }
    }
    return { nodeType, selections };
  }

  /** Sub-plan of an object field (or connection node) for the concrete type of a value. */
  subPlan(field: FieldPlan, type: GraphQLObjectType): FieldPlan[] {
    let plans = field.sub.get(type.name);
    if (!plans) {
      const selections = field.connection ? field.connection.selections : field.nodes.flatMap((n) => n.selectionSet?.selections ?? []);
      plans = this.plan(type, selections);
      field.sub.set(type.name, plans);
    }
    return plans;
  }

  /** The concrete object type of a value returned for a field of (possibly abstract) type `named`. */
  concrete(named: GraphQLNamedType, value: Record<string, unknown>): GraphQLObjectType | undefined {
    if (isObjectType(named)) return named;
    const name = value.__typename;
    const type = typeof name === 'string' ? this.schema.getType(name) : undefined;
    if (type && isObjectType(type)) return type;
    return isAbstractType(named) ? this.schema.getPossibleTypes(named)[0] : undefined;
  }
}

export function listDepth(type: GraphQLOutputType): number {
  let depth = 0;
  let current: GraphQLOutputType = getNullableType(type);
  while (isListType(current)) {
    depth += 1;
    current = getNullableType(current.ofType as GraphQLOutputType);
  }
  return depth;
}
