/**
 * Enumerating the store: which records a root connection returns for a `query:` filter and `sortKey`,
 * and the typed listing tests use to predict exactly what a window should yield.
 */
import { compare, parseSearchTime } from '../search.js';
import type { SearchTerm, SearchWarning } from '../search.js';
import { BASE, LEVEL_STRIDE, VARIANT_STRIDE } from './ids.js';
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
  const size = store.count(type);
  for (let i = 0; i < size; i += 1) {
    if (type === 'productVariants' || type === 'inventoryItems') {
      if (i % VARIANT_STRIDE >= store.variantCount(Math.floor(i / VARIANT_STRIDE))) continue;
    } else if (type === 'inventoryLevels') {
      if (!store.isStocked(Math.floor(i / LEVEL_STRIDE), i % LEVEL_STRIDE)) continue;
    }
    if (!store.exists(type, i)) continue;
    let ok = true;
    for (const test of tests) if (!test(i)) { ok = false; break; }
    if (ok) indexes.push(i);
  }
  sortIndexes(store, type, indexes, sortKey);
  if (reverse) indexes.reverse();
  return { indexes, warnings };
}

function sortIndexes(store: Store, type: ResourceType, indexes: number[], sortKey: string | undefined): void {
  if (!sortKey || sortKey === 'ID' || sortKey === 'RELEVANCE') return;
  if (sortKey === 'UPDATED_AT' || sortKey === 'CREATED_AT' || sortKey === 'PROCESSED_AT') {
    const keys = new Map<number, number>();
    for (const i of indexes) keys.set(i, sortKey === 'UPDATED_AT' ? store.updatedAt(type, i) : store.createdAt(type, i));
    indexes.sort((a, b) => (keys.get(a) ?? 0) - (keys.get(b) ?? 0) || a - b);
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
