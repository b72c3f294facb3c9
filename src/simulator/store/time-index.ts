/**
 * Per-type arrays of existence and timestamps, built once per store content (epoch), so windows over a
 * million records are a tight loop instead of a million record lookups.
 */
import type { ResourceType } from './ids.js';
import type { Store } from './store.js';

export interface TimeIndex {
  epoch: number;
  size: number;
  exists: Uint8Array;
  updated: Float64Array;
  created: Float64Array;
}

/** Types whose index space is dense enough to index (inventory levels are 32 slots per item). */
export const INDEXED: ReadonlySet<ResourceType> = new Set(['orders', 'products', 'productVariants', 'customers', 'inventoryItems', 'locations', 'collections']);

const indexes = new WeakMap<Store, Map<ResourceType, TimeIndex>>();

export function timeIndex(store: Store, type: ResourceType): TimeIndex {
  let perType = indexes.get(store);
  if (!perType) {
    perType = new Map();
    indexes.set(store, perType);
  }
  const size = store.count(type);
  const cached = perType.get(type);
  if (cached && cached.epoch === store.epoch && cached.size === size) return cached;
  const index: TimeIndex = { epoch: store.epoch, size, exists: new Uint8Array(size), updated: new Float64Array(size), created: new Float64Array(size) };
  for (let i = 0; i < size; i += 1) {
    if (!store.exists(type, i)) continue;
    index.exists[i] = 1;
    index.created[i] = store.createdAt(type, i);
    index.updated[i] = store.updatedAt(type, i);
  }
  perType.set(type, index);
  return index;
}
