/**
 * The shop's data: generated lazily from (seed, index) so a million orders cost no memory, plus an
 * overlay holding only what tests changed (updates, inserts, deletes).
 */
import { hash, unit } from '../rng.js';
import { isoSeconds } from '../clock.js';
import type { SimClock } from '../clock.js';
import { LEVEL_STRIDE, TYPENAME, VARIANT_STRIDE, resourceGid } from './ids.js';
import type { ResourceType } from './ids.js';
import { STREAM } from './streams.js';
import { createdAtFor, updatedAtFor } from './timeline.js';
import type { Span } from './timeline.js';
import { generate } from './generate.js';
import type { Rec, RecordSource } from './types.js';

export interface StoreOptions {
  seed?: number;
  /** Number of orders; other sizes scale with it unless given. */
  orders?: number;
  products?: number;
  customers?: number;
  locations?: number;
  collections?: number;
  /** Shop currency (default USD). */
  shopCurrency?: string;
  /** Generated records are created between these instants (ISO strings). */
  startDate?: string;
  endDate?: string;
}

export interface StoreSizes {
  orders: number;
  products: number;
  customers: number;
  locations: number;
  collections: number;
}

export function storeSizes(options: StoreOptions): StoreSizes {
  const orders = Math.max(0, Math.floor(options.orders ?? 1000));
  const products = options.products ?? Math.max(1, Math.ceil(orders / 10));
  return {
    orders,
    products,
    customers: options.customers ?? Math.max(1, Math.ceil(orders / 4)),
    locations: Math.min(LEVEL_STRIDE, Math.max(1, options.locations ?? 5)),
    collections: options.collections ?? Math.min(500, Math.max(4, Math.ceil(products / 25))),
  };
}

interface Overlay {
  updated: Map<number, number>;
  created: Map<number, number>;
  patches: Map<number, Rec>;
  deleted: Set<number>;
  inserted: number;
}

const STREAMS: Record<ResourceType, number> = STREAM;
let nextInstanceId = 1;

export class Store implements RecordSource {
  readonly seed: number;
  readonly shopCurrency: string;
  readonly sizes: StoreSizes;
  readonly span: Span;
  private overlays = new Map<ResourceType, Overlay>();
  /** Counts mutation calls, so deterministic picks differ from call to call. */
  mutationRound = 0;
  /** Identifies this store's content: a new store or any mutation changes it (bulk result cache key). */
  readonly instanceId = nextInstanceId++;
  epoch = 0;

  constructor(readonly options: StoreOptions, private readonly clock: SimClock) {
    this.seed = options.seed ?? 1;
    this.shopCurrency = options.shopCurrency ?? 'USD';
    this.sizes = storeSizes(options);
    this.span = {
      startMs: Date.parse(options.startDate ?? '2021-01-01T00:00:00Z'),
      endMs: Date.parse(options.endDate ?? '2026-06-30T00:00:00Z'),
    };
  }

  overlay(type: ResourceType): Overlay {
    let overlay = this.overlays.get(type);
    if (!overlay) {
      overlay = { updated: new Map(), created: new Map(), patches: new Map(), deleted: new Set(), inserted: 0 };
      this.overlays.set(type, overlay);
    }
    return overlay;
  }

  /** Size of a type's index space (some indexes may not exist, e.g. a product's 4th variant slot). */
  count(type: ResourceType): number {
    switch (type) {
      case 'productVariants':
      case 'inventoryItems':
        return this.count('products') * VARIANT_STRIDE;
      case 'inventoryLevels':
        return this.count('inventoryItems') * LEVEL_STRIDE;
      default:
        return this.sizes[type] + (this.overlays.get(type)?.inserted ?? 0);
    }
  }

  variantCount(productIndex: number): number {
    return 1 + (hash(this.seed, STREAM.productVariants, productIndex, 30) % VARIANT_STRIDE);
  }

  isStocked(itemIndex: number, locationIndex: number): boolean {
    const locations = this.count('locations');
    if (locationIndex >= locations) return false;
    return locationIndex === itemIndex % locations || unit(this.seed, STREAM.inventoryLevels, itemIndex * LEVEL_STRIDE + locationIndex, 0) < 0.4;
  }

  exists(type: ResourceType, index: number): boolean {
    if (index < 0 || index >= this.count(type)) return false;
    if (this.overlays.get(type)?.deleted.has(index)) return false;
    switch (type) {
      case 'productVariants': {
        const product = Math.floor(index / VARIANT_STRIDE);
        return index % VARIANT_STRIDE < this.variantCount(product) && this.exists('products', product);
      }
      case 'inventoryItems':
        return this.exists('productVariants', index);
      case 'inventoryLevels': {
        const item = Math.floor(index / LEVEL_STRIDE);
        return this.isStocked(item, index % LEVEL_STRIDE) && this.exists('inventoryItems', item);
      }
      default:
        return true;
    }
  }

  createdAt(type: ResourceType, index: number): number {
    const override = this.overlays.get(type)?.created.get(index);
    if (override !== undefined) return override;
    switch (type) {
      case 'productVariants':
      case 'inventoryItems':
        return this.createdAt('products', Math.floor(index / VARIANT_STRIDE)) + (index % VARIANT_STRIDE) * 1000;
      case 'inventoryLevels':
        return this.createdAt('inventoryItems', Math.floor(index / LEVEL_STRIDE));
      default:
        return createdAtFor(this.seed, STREAMS[type], index, this.sizes[type], this.span);
    }
  }

  updatedAt(type: ResourceType, index: number): number {
    const override = this.overlays.get(type)?.updated.get(index);
    if (override !== undefined) return override;
    return updatedAtFor(this.seed, STREAMS[type], index, this.createdAt(type, index), this.span);
  }

  /** The full record, or null when it does not exist (never generated, or deleted). */
  record(type: ResourceType, index: number): Rec | null {
    if (!this.exists(type, index)) return null;
    const record = generate(this, type, index);
    const patch = this.overlays.get(type)?.patches.get(index);
    return patch ? Object.assign(record, patch) : record;
  }

  ref(type: ResourceType, index: number): Rec | null {
    if (!this.exists(type, index)) return null;
    return { __typename: TYPENAME[type], id: resourceGid(type, index), __load: () => this.record(type, index) };
  }

  gid(type: ResourceType, index: number): string {
    return resourceGid(type, index);
  }

  /** Current simulator time, whole seconds (what updates stamp on records). */
  nowSeconds(): number {
    return Math.floor(this.clock.now() / 1000) * 1000;
  }

  iso(ms: number): string {
    return isoSeconds(ms);
  }
}
