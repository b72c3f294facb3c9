/**
 * `inventory_levels`: each location's levels (nested connection filtered by the window), one record per
 * level. A level's gid number is not unique across items, so the id is Airbyte's `<location_id>|<inventory_item_id>`.
 */
import { defineStream } from './define.js';
import type { InventoryLevelsRecord } from './generated.js';
import { bool, children, connection, dateTime, gidId, gqlString, int, list, obj, refId, str } from './transform.js';
import type { Obj } from './transform.js';

const QUANTITY_NAMES = ['available', 'incoming', 'committed', 'damaged', 'on_hand', 'quality_control', 'reserved', 'safety_stock'];

export const inventoryLevels = defineStream({
  name: 'inventory_levels',
  primaryKey: [['id']],
  cursorField: 'updated_at',
  scopes: ['read_inventory', 'read_locations'],
  extraction: {
    kind: 'bulk',
    query: ({ filter }) => `{ ${connection('locations', '(includeLegacy: true, includeInactive: true)', `id ${connection(
      'inventoryLevels', filter === undefined ? '' : `(query: ${gqlString(filter)})`,
      `id canDeactivate deactivationAlert createdAt updatedAt item { id }
  quantities(names: [${QUANTITY_NAMES.map(gqlString).join(', ')}]) { id name quantity updatedAt }`)}`)} }`,
    *toRecords(node, { shop }) {
      const locationId = gidId(node.id);
      for (const level of children(node, 'InventoryLevel')) {
        const itemId = refId(level.item);
        const quantities = list(level.quantities).map(obj).filter((q): q is Obj => q !== null);
        const record: InventoryLevelsRecord = {
          id: locationId === null || itemId === null ? null : `${locationId}|${itemId}`,
          admin_graphql_api_id: str(level.id),
          location_id: locationId,
          inventory_item_id: itemId,
          available: int(quantities.find((q) => q.name === 'available')?.quantity),
          can_deactivate: bool(level.canDeactivate),
          deactivation_alert: str(level.deactivationAlert),
          created_at: dateTime(level.createdAt),
          updated_at: dateTime(level.updatedAt),
          quantities: quantities.map((q) => ({ id: gidId(q.id), admin_graphql_api_id: str(q.id), name: str(q.name), quantity: int(q.quantity), updated_at: dateTime(q.updatedAt) })),
          shop_url: shop,
        };
        yield record;
      }
    },
  },
});
