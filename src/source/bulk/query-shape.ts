/** What the reassembly needs to know about a bulk query: how deep its connections nest. */
// The language modules only: the package root loads all of graphql-js (~130 ms of CPU at every start).
import { Kind } from 'graphql/language/kinds.js';
import { parse } from 'graphql/language/parser.js';
import type { SelectionSetNode } from 'graphql/language/ast.js';

function depthOf(set: SelectionSetNode | undefined, inConnection: boolean): number {
  if (!set) return 0;
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const isConnection = sel.selectionSet?.selections.some((s) => s.kind === Kind.FIELD && s.name.value === 'edges') ?? false;
      const below = depthOf(sel.selectionSet, inConnection || isConnection);
      max = Math.max(max, below + (isConnection ? 1 : 0));
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, depthOf(sel.selectionSet, inConnection));
    }
  }
  return max;
}

/** Nested connection levels below the root connection: 0 for a flat query, 1 for children, 2 for grandchildren. */
export function nestedConnectionDepth(query: string): number {
  const doc = parse(query);
  let max = 0;
  for (const def of doc.definitions) if (def.kind === Kind.OPERATION_DEFINITION) max = Math.max(max, depthOf(def.selectionSet, false));
  return Math.max(0, max - 1);
}
