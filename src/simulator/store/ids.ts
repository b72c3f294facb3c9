/**
 * Global ids. Numeric ids are `base + index` (children use `base + parent * stride + k`), so a gid maps
 * back to the index that generates it. Shopify ids are 10–14 digits; these look alike.
 */
export const RESOURCE_TYPES = [
  'orders', 'products', 'productVariants', 'customers', 'inventoryItems', 'inventoryLevels', 'locations', 'collections',
] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export const TYPENAME: Record<ResourceType, string> = {
  orders: 'Order',
  products: 'Product',
  productVariants: 'ProductVariant',
  customers: 'Customer',
  inventoryItems: 'InventoryItem',
  inventoryLevels: 'InventoryLevel',
  locations: 'Location',
  collections: 'Collection',
};

export const BASE: Record<ResourceType, number> = {
  orders: 5_100_000_000_000,
  products: 8_100_000_000_000,
  productVariants: 4_300_000_000_000,
  customers: 6_200_000_000_000,
  inventoryItems: 4_500_000_000_000,
  inventoryLevels: 9_000_000_000_000,
  locations: 70_000_000_000,
  collections: 440_000_000_000,
};

/** Child id bases: id = base + parentIndex * stride + k. */
export const CHILD = {
  lineItem: { base: 13_000_000_000_000, stride: 16 },
  shippingLine: { base: 4_800_000_000_000, stride: 4 },
  metafield: { base: 2_200_000_000_000, stride: 8 },
  media: { base: 3_100_000_000_000, stride: 8 },
  customerAddress: { base: 8_700_000_000_000, stride: 4 },
  orderAddress: { base: 8_800_000_000_000, stride: 2 },
  productOption: { base: 10_500_000_000_000, stride: 4 },
} as const;

/** Variants (and their inventory items) live at productIndex * VARIANT_STRIDE + k. */
export const VARIANT_STRIDE = 4;
/** Inventory levels live at inventoryItemIndex * LEVEL_STRIDE + locationIndex. */
export const LEVEL_STRIDE = 32;

export function gid(type: string, id: number, params?: string): string {
  return `gid://shopify/${type}/${id}${params ? `?${params}` : ''}`;
}

export function resourceGid(type: ResourceType, index: number): string {
  if (type === 'inventoryLevels') {
    const item = Math.floor(index / LEVEL_STRIDE);
    return gid('InventoryLevel', BASE.inventoryLevels + index, `inventory_item_id=${BASE.inventoryItems + item}`);
  }
  return gid(TYPENAME[type], BASE[type] + index);
}

export interface ParsedGid {
  type: string;
  id: number;
  params: string;
}

const GID_RE = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?(.*))?$/;

export function parseGid(value: string): ParsedGid | undefined {
  const match = GID_RE.exec(value);
  if (!match || match[1] === undefined || match[2] === undefined) return undefined;
  return { type: match[1], id: Number(match[2]), params: match[3] ?? '' };
}

/** The resource type and index a gid points at, if it is one of the modelled root resources. */
export function locateGid(value: string): { type: ResourceType; index: number } | undefined {
  const parsed = parseGid(value);
  if (!parsed) return undefined;
  for (const type of RESOURCE_TYPES) {
    if (TYPENAME[type] === parsed.type) {
      const index = parsed.id - BASE[type];
      return index >= 0 && Number.isSafeInteger(index) ? { type, index } : undefined;
    }
  }
  return undefined;
}
