/**
 * Arguments of nested connections that narrow the list (plain queries and bulk jobs alike): Shopify's
 * `query:` search filter (`inventoryLevels(query: "updated_at:>='…' AND updated_at:<'…'")`, the same
 * syntax as a root connection's filter) and `metafields(namespace:, keys:)`. Pagination arguments are
 * applied elsewhere (and ignored in bulk jobs, reference §1). A term on a field the simulator does not
 * model, or with a value it cannot read, is ignored, the way Shopify ignores an invalid search field.
 */
import { compare, parseSearch, parseSearchTime } from '../search.js';
import type { SearchTerm } from '../search.js';
import type { Rec } from '../store/types.js';

type Test = (record: Rec) => boolean;

/** A record's own property, loading a reference stub's full record when needed. */
function property(record: Rec, name: string): unknown {
  const value = record[name];
  if (value !== undefined || typeof record.__load !== 'function') return value;
  const full = (record.__full ??= (record.__load as () => Rec | null)() ?? {}) as Rec;
  return full[name];
}

/** The numeric part of a gid (`gid://shopify/InventoryLevel/123?inventory_item_id=4` → 123). */
function gidNumber(value: unknown): number {
  if (typeof value !== 'string') return Number.NaN;
  const match = /\/(\d+)(?:\?|$)/.exec(value);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]);
}

function termTest(term: SearchTerm): Test | undefined {
  if (term.field === 'updated_at' || term.field === 'created_at') {
    const at = parseSearchTime(term.value);
    if (Number.isNaN(at)) return undefined;
    const name = term.field === 'updated_at' ? 'updatedAt' : 'createdAt';
    return (record) => {
      const value = property(record, name);
      const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      return !Number.isNaN(ms) && compare(ms, term.op, at);
    };
  }
  if (term.field === 'id') {
    const id = Number(term.value);
    if (!Number.isFinite(id)) return undefined;
    return (record) => compare(gidNumber(property(record, 'id')), term.op, id);
  }
  return undefined;
}

/** The tests the arguments of a nested connection imply (empty when they filter nothing). */
export function nestedTests(args: Readonly<Record<string, unknown>>): Test[] {
  const tests: Test[] = [];
  if (typeof args.query === 'string') {
    for (const term of parseSearch(args.query)) {
      const test = termTest(term);
      if (test) tests.push(test);
    }
  }
  if (typeof args.namespace === 'string') {
    const namespace = args.namespace;
    tests.push((record) => property(record, 'namespace') === namespace);
  }
  if (Array.isArray(args.keys)) {
    // `keys` are `namespace.key` (schema description of `metafields(keys:)`).
    const keys = new Set(args.keys.map(String));
    tests.push((record) => keys.has(`${String(property(record, 'namespace'))}.${String(property(record, 'key'))}`));
  }
  return tests;
}

/** The items of a nested connection that its arguments select. */
export function filterNested(items: Rec[], args: Readonly<Record<string, unknown>>): Rec[] {
  const tests = nestedTests(args);
  if (tests.length === 0) return items;
  return items.filter((item) => tests.every((test) => test(item)));
}
