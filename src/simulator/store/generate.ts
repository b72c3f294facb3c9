/** Dispatches record generation to the per-resource generators. */
import type { ResourceType } from './ids.js';
import { collectionRecord } from './collections.js';
import { customerRecord } from './customers.js';
import { inventoryLevelRecord, locationRecord } from './locations.js';
import { orderRecord } from './orders.js';
import { inventoryItemRecord, productRecord, variantRecord } from './products.js';
import type { Rec, RecordSource } from './types.js';

export function generate(src: RecordSource, type: ResourceType, index: number): Rec {
  switch (type) {
    case 'orders': return orderRecord(src, index);
    case 'products': return productRecord(src, index);
    case 'productVariants': return variantRecord(src, index);
    case 'customers': return customerRecord(src, index);
    case 'inventoryItems': return inventoryItemRecord(src, index);
    case 'inventoryLevels': return inventoryLevelRecord(src, index);
    case 'locations': return locationRecord(src, index);
    case 'collections': return collectionRecord(src, index);
  }
}
