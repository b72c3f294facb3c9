/** `locations`: every location, legacy and inactive ones included. Full refresh: `locations` cannot filter by `updated_at`. */
import { defineStream } from './define.js';
import type { LocationsRecord } from './generated.js';
import { bool, connection, dateTime, gidId, obj, str } from './transform.js';

export const locations = defineStream({
  name: 'locations',
  primaryKey: [['id']],
  cursorField: undefined,
  scopes: ['read_locations'],
  extraction: {
    kind: 'bulk',
    // No `query:` argument even if a filter is given: the connection has no `updated_at` search field.
    query: () => `{ ${connection('locations', '(includeLegacy: true, includeInactive: true)', `id name isActive isFulfillmentService
  fulfillsOnlineOrders shipsInventory createdAt updatedAt
  address { address1 address2 city province provinceCode country countryCode zip phone }`)} }`,
    *toRecords(node, { shop }) {
      const address = obj(node.address) ?? {};
      const record: LocationsRecord = {
        id: gidId(node.id), admin_graphql_api_id: str(node.id), shop_url: shop,
        name: str(node.name),
        active: bool(node.isActive),
        legacy: bool(node.isFulfillmentService),
        address1: str(address.address1),
        address2: str(address.address2),
        city: str(address.city),
        province: str(address.province),
        province_code: str(address.provinceCode),
        country: str(address.country),
        country_code: str(address.countryCode),
        zip: str(address.zip),
        phone: str(address.phone),
        fulfills_online_orders: bool(node.fulfillsOnlineOrders),
        ships_inventory: bool(node.shipsInventory),
        created_at: dateTime(node.createdAt),
        updated_at: dateTime(node.updatedAt),
      };
      yield record;
    },
  },
});
