/**
 * Writes bulk results as Shopify's JSONL (reference §2) straight from the store records and the
 * compiled field plans: compact JSON, keys in selection order, `__parentId` last, nested connection
 * nodes on their own lines after their parent — directly below it when grouped, interleaved with
 * other parents' children when not. Every `/` inside values is escaped as `\/`.
 */
import type { GraphQLObjectType, GraphQLSchema } from 'graphql';
import { readField } from '../graphql/resolvers.js';
import { nestedTests } from '../graphql/nested-filter.js';
import type { Rec } from '../store/types.js';
import type { FieldPlan, PlanCompiler } from './compile.js';

/** Shopify escapes every `/` in the JSONL as `\/` (reference §2). */
export function escapeSlashes(json: string): string {
  return json.includes('/') ? json.replaceAll('/', '\\/') : json;
}

const PLAIN_GID_TAIL = /^[A-Za-z]+\/[0-9]+(?:\?[A-Za-z0-9_=&]+)?$/;

/** Fast path for the commonest string: a global id needs no JSON escaping besides its slashes. */
function gidJson(gid: string): string | undefined {
  const tail = gid.slice(14);
  if (!PLAIN_GID_TAIL.test(tail)) return undefined;
  const slash = tail.indexOf('/');
  return `"gid:\\/\\/shopify\\/${tail.slice(0, slash)}\\/${tail.slice(slash + 1)}"`;
}

interface Pending {
  conn: FieldPlan;
  items: Rec[];
  parentId: string;
}

export class LineEmitter {
  objects = 0;
  /** Per connection plan: the tests its `query:` / `namespace:` / `keys:` arguments imply. */
  private readonly filters = new WeakMap<FieldPlan, Array<(record: Rec) => boolean>>();

  constructor(private readonly compiler: PlanCompiler, private readonly schema: GraphQLSchema, private readonly context: unknown) {}

  private leaf(value: unknown): string {
    switch (typeof value) {
      case 'string': return (value.startsWith('gid://shopify/') && gidJson(value)) || escapeSlashes(JSON.stringify(value));
      case 'number': return Number.isFinite(value) ? String(value) : 'null';
      case 'boolean': return value ? 'true' : 'false';
      default: return value === undefined ? 'null' : escapeSlashes(JSON.stringify(value));
    }
  }

  private value(value: unknown, field: FieldPlan, depth: number, ownerId: string, children: Pending[]): string {
    if (value === null || value === undefined) return 'null';
    if (depth > 0) {
      if (!Array.isArray(value)) return 'null';
      return `[${value.map((item) => this.value(item, field, depth - 1, ownerId, children)).join(',')}]`;
    }
    if (field.kind === 'leaf') return this.leaf(value);
    const type = this.compiler.concrete(field.named, value as Rec);
    if (!type) return 'null';
    return this.object(value as Rec, type, this.compiler.subPlan(field, type), ownerId, children);
  }

  private object(source: Rec, type: GraphQLObjectType, plans: readonly FieldPlan[], ownerId: string, children: Pending[]): string {
    let text = '{';
    for (const plan of plans) {
      if (plan.kind === 'connection') {
        const value = readField(this.schema, source, plan.name, plan.args, plan.returnType, this.context);
        if (!Array.isArray(value) || value.length === 0) continue;
        let tests = this.filters.get(plan);
        if (!tests) this.filters.set(plan, (tests = nestedTests(plan.args)));
        const items = tests.length ? (value as Rec[]).filter((item) => tests.every((test) => test(item))) : (value as Rec[]);
        if (items.length) children.push({ conn: plan, items, parentId: ownerId });
        continue;
      }
      if (text.length > 1) text += ',';
      if (plan.kind === 'typename') {
        text += `${plan.keyJson}"${type.name}"`;
        continue;
      }
      const value = readField(this.schema, source, plan.name, plan.args, plan.returnType, this.context);
      text += plan.keyJson + this.value(value, plan, plan.depth, ownerId, children);
    }
    return `${text}}`;
  }

  /** One node's line (with its trailing newline); its nested connections are appended to `children`. */
  line(source: Rec, conn: FieldPlan, parentId: string | undefined, children: Pending[]): string {
    const nodeType = conn.connection?.nodeType;
    const type = nodeType ? this.compiler.concrete(nodeType, source) : undefined;
    if (!type) return '';
    const id = String(source.id ?? '');
    let text = this.object(source, type, this.compiler.subPlan(conn, type), id, children);
    if (parentId !== undefined) text = `${text.length > 2 ? `${text.slice(0, -1)},` : '{'}"__parentId":${escapeSlashes(JSON.stringify(parentId))}}`;
    this.objects += 1;
    return `${text}\n`;
  }

  /** Grouped: each node, then (depth first) all of its children, before the next node. */
  grouped(items: readonly Rec[], conn: FieldPlan, out: string[], parentId?: string): void {
    for (const item of items) {
      const children: Pending[] = [];
      out.push(this.line(item, conn, parentId, children));
      for (const child of children) this.grouped(child.items, child.conn, out, child.parentId);
    }
  }

  /**
   * Ungrouped: the batch's nodes first, then their children level by level, one child from each
   * parent in turn, so children follow their parent but are mixed with other parents' children.
   */
  interleaved(items: readonly Rec[], conn: FieldPlan, out: string[]): void {
    let level: Array<{ item: Rec; conn: FieldPlan; parentId: string | undefined }> = items.map((item) => ({ item, conn, parentId: undefined }));
    while (level.length > 0) {
      const lists: Pending[] = [];
      for (const entry of level) out.push(this.line(entry.item, entry.conn, entry.parentId, lists));
      const next: typeof level = [];
      for (let k = 0; ; k += 1) {
        let any = false;
        for (const list of lists) {
          const item = list.items[k];
          if (item === undefined) continue;
          any = true;
          next.push({ item, conn: list.conn, parentId: list.parentId });
        }
        if (!any) break;
      }
      level = next;
    }
  }
}
