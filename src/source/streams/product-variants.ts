/** `product_variants`: every variant, with its inventory item's weight and shipping flag. */
import { defineStream } from './define.js';
import type { ProductVariantsRecord } from './generated.js';
import { bool, connection, dateTime, gidId, int, list, num, obj, refId, rootArgs, str } from './transform.js';
import type { Obj } from './transform.js';

export const productVariants = defineStream({
  name: 'product_variants',
  primaryKey: [['id']],
  cursorField: 'updated_at',
  scopes: ['read_products'],
  extraction: {
    kind: 'bulk',
    // `productVariants` has no UPDATED_AT sort key: the window filter alone selects the slice.
    query: ({ filter }) => `{ ${connection('productVariants', rootArgs(filter), `id title displayName price compareAtPrice sku barcode
  position inventoryPolicy inventoryQuantity availableForSale taxable createdAt updatedAt selectedOptions { name value }
  product { id } inventoryItem { id requiresShipping measurement { weight { unit value } } }`)} }`,
    *toRecords(node, { shop }) {
      const options = list(node.selectedOptions).map(obj).filter((o): o is Obj => o !== null);
      const item = obj(node.inventoryItem);
      const weight = obj(obj(item?.measurement)?.weight);
      const record: ProductVariantsRecord = {
        id: gidId(node.id), admin_graphql_api_id: str(node.id), shop_url: shop,
        product_id: refId(node.product),
        title: str(node.title),
        display_name: str(node.displayName),
        price: num(node.price),
        compare_at_price: num(node.compareAtPrice),
        sku: str(node.sku),
        barcode: str(node.barcode),
        position: int(node.position),
        inventory_policy: str(node.inventoryPolicy),
        inventory_quantity: int(node.inventoryQuantity),
        inventory_item_id: refId(item),
        available_for_sale: bool(node.availableForSale),
        taxable: bool(node.taxable),
        requires_shipping: bool(item?.requiresShipping),
        option1: str(options[0]?.value),
        option2: str(options[1]?.value),
        option3: str(options[2]?.value),
        selected_options: options.map((o) => ({ name: str(o.name), value: str(o.value) })),
        weight: num(weight?.value),
        weight_unit: str(weight?.unit),
        created_at: dateTime(node.createdAt),
        updated_at: dateTime(node.updatedAt),
      };
      yield record;
    },
  },
});
