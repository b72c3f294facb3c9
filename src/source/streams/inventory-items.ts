/** `inventory_items`: the stock-keeping side of each variant (cost, origin, tracking). */
import { defineStream } from './define.js';
import type { InventoryItemsRecord } from './generated.js';
import { bool, connection, dateTime, gidId, money, rootArgs, str } from './transform.js';

export const inventoryItems = defineStream({
  name: 'inventory_items',
  primaryKey: [['id']],
  cursorField: 'updated_at',
  scopes: ['read_inventory'],
  extraction: {
    kind: 'bulk',
    // `inventoryItems` has no sort key argument: the window filter alone selects the slice.
    query: ({ filter }) => `{ ${connection('inventoryItems', rootArgs(filter), `id sku tracked requiresShipping createdAt updatedAt
  countryCodeOfOrigin provinceCodeOfOrigin harmonizedSystemCode unitCost { amount currencyCode }`)} }`,
    *toRecords(node, { shop }) {
      const cost = money(node.unitCost);
      const record: InventoryItemsRecord = {
        id: gidId(node.id), admin_graphql_api_id: str(node.id), shop_url: shop,
        sku: str(node.sku),
        tracked: bool(node.tracked),
        requires_shipping: bool(node.requiresShipping),
        cost: cost?.amount ?? null,
        currency_code: cost?.currency_code ?? null,
        country_code_of_origin: str(node.countryCodeOfOrigin),
        province_code_of_origin: str(node.provinceCodeOfOrigin),
        harmonized_system_code: str(node.harmonizedSystemCode),
        created_at: dateTime(node.createdAt),
        updated_at: dateTime(node.updatedAt),
      };
      yield record;
    },
  },
});
