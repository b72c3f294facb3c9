/** Every stream the source offers. Discover, read and the tests iterate this one list. */
import type { StreamDefinition } from './define.js';
import { collections } from './collections.js';
import { customers } from './customers.js';
import { inventoryItems } from './inventory-items.js';
import { inventoryLevels } from './inventory-levels.js';
import { locations } from './locations.js';
import { metafieldProducts } from './metafield-products.js';
import { orders } from './orders.js';
import { productVariants } from './product-variants.js';
import { products } from './products.js';
import { shop } from './shop.js';

export const ALL_STREAMS: readonly StreamDefinition[] = [
  shop,
  orders,
  products,
  productVariants,
  customers,
  inventoryItems,
  inventoryLevels,
  locations,
  collections,
  metafieldProducts,
];

export function streamByName(name: string): StreamDefinition | undefined {
  return ALL_STREAMS.find((s) => s.name === name);
}
