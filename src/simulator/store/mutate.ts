/**
 * Store mutations between syncs: update (bump updatedAt to the simulator's now), insert and delete.
 * Records to touch are given by gid or picked deterministically from the store's seed.
 */
import { hash } from '../rng.js';
import { locateGid } from './ids.js';
import type { ResourceType } from './ids.js';
import { selectIndexes } from './query.js';
import { STREAM } from './streams.js';
import type { Store } from './store.js';
import type { Rec } from './types.js';

export interface MutationSpec {
  /** Records to touch; when absent, `count` existing records are picked deterministically. */
  gids?: string[];
  count?: number;
  /** Field values to set on updated records (GraphQL field names). */
  patch?: Rec;
}

function targets(store: Store, type: ResourceType, spec: MutationSpec): number[] {
  if (spec.gids) {
    return spec.gids.map((value) => {
      const located = locateGid(value);
      if (!located || located.type !== type || !store.exists(type, located.index)) throw new Error(`no ${type} record ${value}`);
      return located.index;
    });
  }
  const all = selectIndexes(store, type, [], undefined, false).indexes;
  const want = Math.min(spec.count ?? 1, all.length);
  store.mutationRound += 1;
  const chosen = new Set<number>();
  let k = 0;
  while (chosen.size < want) {
    const index = all[hash(store.seed, STREAM.mutations, store.mutationRound, k) % all.length];
    if (index !== undefined) chosen.add(index);
    k += 1;
  }
  return [...chosen].sort((a, b) => a - b);
}

export function updateRecords(store: Store, type: ResourceType, spec: MutationSpec): string[] {
  const now = store.nowSeconds();
  const overlay = store.overlay(type);
  const gids = targets(store, type, spec).map((index) => {
    overlay.updated.set(index, now);
    if (spec.patch) overlay.patches.set(index, { ...overlay.patches.get(index), ...spec.patch });
    return store.gid(type, index);
  });
  store.epoch += 1;
  return gids;
}

const INSERTABLE = new Set<ResourceType>(['orders', 'products', 'customers', 'collections', 'locations']);

export function insertRecords(store: Store, type: ResourceType, count: number): string[] {
  if (!INSERTABLE.has(type)) throw new Error(`cannot insert ${type} directly (insert products instead)`);
  const overlay = store.overlay(type);
  const now = store.nowSeconds();
  const gids: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const index = store.count(type);
    overlay.inserted += 1;
    overlay.created.set(index, now);
    overlay.updated.set(index, now);
    gids.push(store.gid(type, index));
  }
  store.epoch += 1;
  return gids;
}

export function deleteRecords(store: Store, type: ResourceType, spec: MutationSpec): string[] {
  const overlay = store.overlay(type);
  const gids = targets(store, type, spec).map((index) => {
    overlay.deleted.add(index);
    return store.gid(type, index);
  });
  store.epoch += 1;
  return gids;
}
