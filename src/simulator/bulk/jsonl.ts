/**
 * JSONL exactly as Shopify writes it (reference §2): compact JSON, `/` escaped as `\/`, every line
 * ending in `\n`, keys in selection order with `__parentId` last, nested connection nodes on their own
 * lines after their parent: directly below it when grouped, interleaved with other parents' children
 * when not.
 */
import type { ConnectionPlan } from './plan.js';

type Obj = Record<string, unknown>;

const SLASH = /\//g;

export function jsonLine(node: Obj, parentId?: string): string {
  let text = JSON.stringify(node);
  if (parentId !== undefined) {
    text = `${text.length > 2 ? `${text.slice(0, -1)},` : '{'}"__parentId":${JSON.stringify(parentId)}}`;
  }
  return `${text.includes('/') ? text.replace(SLASH, '\\/') : text}\n`;
}

function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Obj)[key];
  }
  return current;
}

/** The nodes of a connection object, selected via `edges { node }` or `nodes`. */
export function connectionNodes(connection: unknown, plan: ConnectionPlan): Obj[] {
  if (connection === null || typeof connection !== 'object') return [];
  if (plan.edgesKey !== undefined && plan.nodeKey !== undefined) {
    const edges = (connection as Obj)[plan.edgesKey];
    if (!Array.isArray(edges)) return [];
    const key = plan.nodeKey;
    return edges.map((edge) => (edge as Obj)[key] as Obj).filter((node) => node !== null && node !== undefined);
  }
  if (plan.nodesKey !== undefined) {
    const nodes = (connection as Obj)[plan.nodesKey];
    return Array.isArray(nodes) ? (nodes as Obj[]) : [];
  }
  return [];
}

function childNodes(node: Obj, plan: ConnectionPlan): Obj[] {
  return connectionNodes(at(node, plan.path), plan);
}

/** The node without its nested connections (they become their own lines). */
function strip(node: Obj, children: readonly ConnectionPlan[]): Obj {
  if (children.length === 0) return node;
  const copy = (value: Obj, depth: number, candidates: readonly ConnectionPlan[]): Obj => {
    const out: Obj = {};
    for (const key of Object.keys(value)) {
      const here = candidates.filter((child) => child.path[depth] === key);
      if (here.length === 0) out[key] = value[key];
      else if (here.some((child) => child.path.length === depth + 1)) continue;
      else {
        const inner = value[key];
        out[key] = inner !== null && typeof inner === 'object' ? copy(inner as Obj, depth + 1, here) : inner;
      }
    }
    return out;
  };
  return copy(node, 0, children);
}

export interface LineCounts {
  objects: number;
}

function idOf(node: Obj): string {
  return String(node.id);
}

/** Grouped: each node, then (recursively) all its children, before the next node. */
export function groupedLines(nodes: readonly Obj[], plan: ConnectionPlan, out: string[], counts: LineCounts, parentId?: string): void {
  for (const node of nodes) {
    out.push(jsonLine(strip(node, plan.children), parentId));
    counts.objects += 1;
    for (const child of plan.children) groupedLines(childNodes(node, child), child, out, counts, idOf(node));
  }
}

/**
 * Ungrouped: the batch's parents first, then their children level by level, taking one child from
 * each parent in turn — children stay after their parent but are mixed with other parents' lines.
 */
export function interleavedLines(nodes: readonly Obj[], plan: ConnectionPlan, out: string[], counts: LineCounts): void {
  let level: Array<{ node: Obj; plan: ConnectionPlan; parentId: string | undefined }> = nodes.map((node) => ({ node, plan, parentId: undefined }));
  while (level.length > 0) {
    const lists: Array<{ nodes: Obj[]; plan: ConnectionPlan; parentId: string }> = [];
    for (const item of level) {
      out.push(jsonLine(strip(item.node, item.plan.children), item.parentId));
      counts.objects += 1;
      for (const child of item.plan.children) lists.push({ nodes: childNodes(item.node, child), plan: child, parentId: idOf(item.node) });
    }
    const next: typeof level = [];
    for (let k = 0; ; k += 1) {
      let any = false;
      for (const list of lists) {
        const node = list.nodes[k];
        if (node === undefined) continue;
        any = true;
        next.push({ node, plan: list.plan, parentId: list.parentId });
      }
      if (!any) break;
    }
    level = next;
  }
}
