/**
 * Enumerating the store: which records a root connection returns for a `query:` filter and `sortKey`,
 * and the typed listing tests use to predict exactly what a window should yield.
 */
import { compare, parseSearchTime } from '../search.js';
import type { SearchTerm, SearchWarning } from '../search.js';
import { BASE, LEVEL_STRIDE } from './ids.js';
import { INDEXED, timeIndex } from './time-index.js';
import type { TimeIndex } from './time-index.js';
import type { ResourceType } from './ids.js';
import { productTitle } from './products.js';
import type { Store } from './store.js';
import type { Rec } from './types.js';

/** Fields each root connection can filter on (others are ignored with a warning). */
const FILTER_FIELDS = new Set(['updated_at', 'created_at', 'id']);

export interface Selection {
  indexes: number[];
  warnings: SearchWarning[];
}

type Predicate = (index: number) => boolean;

function predicates(store: Store, type: ResourceType, terms: SearchTerm[], warnings: SearchWarning[]): Predicate[] {
  const out: Predicate[] = [];
  for (const term of terms) {
    if (!FILTER_FIELDS.has(term.field)) {
      warnings.push({ field: term.field, message: 'Invalid search field for this query.', code: 'invalid_field' });
      continue;
    }
    if (term.field === 'id') {
      const id = Number(term.value);
      if (Number.isFinite(id)) out.push((i) => compare(BASE[type] + i, term.op, id));
      continue;
    }
    const at = parseSearchTime(term.value);
    if (Number.isNaN(at)) {
      warnings.push({ field: term.field, message: `Input \`${term.value}\` is not an accepted value.`, code: 'invalid_value' });
      continue;
    }
    if (term.field === 'updated_at') out.push((i) => compare(store.updatedAt(type, i), term.op, at));
    else out.push((i) => compare(store.createdAt(type, i), term.op, at));
  }
  return out;
}


/** Existing indexes of a type matching every term, sorted by the sort key (ties by id), maybe reversed. */
export function selectIndexes(store: Store, type: ResourceType, terms: SearchTerm[], sortKey: string | undefined, reverse: boolean): Selection {
  const warnings: SearchWarning[] = [];
  const tests = predicates(store, type, terms, warnings);
  const indexes: number[] = [];
  if (INDEXED.has(type)) {
    const index = timeIndex(store, type);
    const timeTests = timePredicates(terms, index);
    const other = tests.length > timeTests.length ? tests : [];
    scan: for (let i = 0; i < index.size; i += 1) {
      if (index.exists[i] === 0) continue;
      for (const test of timeTests) if (!test(i)) continue scan;
      for (const test of other) if (!test(i)) continue scan;
      indexes.push(i);
    }
  } else {
    const size = store.count(type);
    for (let i = 0; i < size; i += 1) {
      if (type === 'inventoryLevels' && !store.isStocked(Math.floor(i / LEVEL_STRIDE), i % LEVEL_STRIDE)) continue;
      if (!store.exists(type, i)) continue;
      let ok = true;
      for (const test of tests) if (!test(i)) { ok = false; break; }
      if (ok) indexes.push(i);
    }
  }
  sortIndexes(store, type, indexes, sortKey);
  if (reverse) indexes.reverse();
  return { indexes, warnings };
}

/** The time terms as tests over the typed arrays (all terms when every term is a valid time term). */
function timePredicates(terms: SearchTerm[], index: TimeIndex): Array<(i: number) => boolean> {
  const out: Array<(i: number) => boolean> = [];
  for (const term of terms) {
    if (term.field !== 'updated_at' && term.field !== 'created_at') return [];
    const at = parseSearchTime(term.value);
    if (Number.isNaN(at)) return [];
    const values = term.field === 'updated_at' ? index.updated : index.created;
    out.push((i) => compare(values[i] ?? 0, term.op, at));
  }
  return out;
}

function sortIndexes(store: Store, type: ResourceType, indexes: number[], sortKey: string | undefined): void {
  if (!sortKey || sortKey === 'ID' || sortKey === 'RELEVANCE') return;
  if (sortKey === 'UPDATED_AT' || sortKey === 'CREATED_AT' || sortKey === 'PROCESSED_AT') {
    // Typed arrays keep a million-row sort cheap: positions sorted by (time, index).
    const keys = new Float64Array(indexes.length);
    const cached = INDEXED.has(type) ? timeIndex(store, type) : undefined;
    const source = cached ? (sortKey === 'UPDATED_AT' ? cached.updated : cached.created) : undefined;
    indexes.forEach((index, i) => {
      keys[i] = source ? source[index] ?? 0 : sortKey === 'UPDATED_AT' ? store.updatedAt(type, index) : store.createdAt(type, index);
    });
    const order = new Uint32Array(indexes.length).map((_, i) => i);
    order.sort((a, b) => (keys[a] ?? 0) - (keys[b] ?? 0) || a - b);
    const sorted = Array.from(order, (position) => indexes[position] ?? 0);
    for (let i = 0; i < sorted.length; i += 1) indexes[i] = sorted[i] ?? 0;
    return;
  }
  if (sortKey === 'TITLE' || sortKey === 'NAME') {
    const names = new Map<number, string>();
    for (const i of indexes) names.set(i, type === 'products' ? productTitle(store.seed, i) : String(store.record(type, i)?.[type === 'locations' ? 'name' : 'title'] ?? ''));
    indexes.sort((a, b) => (names.get(a) ?? '').localeCompare(names.get(b) ?? '') || a - b);
  }
}

export interface ListOptions {
  /** Inclusive lower bound on updatedAt (ISO). */
  updatedAtMin?: string;
  /** Exclusive upper bound on updatedAt (ISO), like the connector's half-open windows. */
  updatedAtMax?: string;
  createdAtMin?: string;
  createdAtMax?: string;
  sortKey?: string;
}

export interface StoreEntry {
  gid: string;
  index: number;
  createdAt: string;
  updatedAt: string;
  /** The full record as the GraphQL layer sees it (child lists are functions). */
  record(): Rec;
}

export function listEntries(store: Store, type: ResourceType, options: ListOptions = {}): StoreEntry[] {
  const terms: SearchTerm[] = [];
  if (options.updatedAtMin) terms.push({ field: 'updated_at', op: '>=', value: options.updatedAtMin });
  if (options.updatedAtMax) terms.push({ field: 'updated_at', op: '<', value: options.updatedAtMax });
  if (options.createdAtMin) terms.push({ field: 'created_at', op: '>=', value: options.createdAtMin });
  if (options.createdAtMax) terms.push({ field: 'created_at', op: '<', value: options.createdAtMax });
  const { indexes } = selectIndexes(store, type, terms, options.sortKey, false);
  return indexes.map((index) => ({
    gid: store.gid(type, index),
    index,
    createdAt: store.iso(store.createdAt(type, index)),
    updatedAt: store.iso(store.updatedAt(type, index)),
    record: () => store.record(type, index) ?? {},
  }));
}
