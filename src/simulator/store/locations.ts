/** Locations and the inventory levels that tie inventory items to them. */
import { hash, unit } from '../rng.js';
import { isoSeconds } from '../clock.js';
import { CITIES, COUNTRY_NAMES, LOCATION_NAMES } from './data.js';
import { BASE, LEVEL_STRIDE, gid, resourceGid } from './ids.js';
import { STREAM } from './streams.js';
import type { Rec, RecordSource } from './types.js';

export const QUANTITY_NAMES = ['available', 'committed', 'damaged', 'incoming', 'on_hand', 'quality_control', 'reserved', 'safety_stock'] as const;

export function locationRecord(src: RecordSource, index: number): Rec {
  const { seed } = src;
  const city = CITIES[index % CITIES.length] ?? CITIES[0];
  const [cityName, countryCode, province, provinceCode, zip] = city;
  const name = `${LOCATION_NAMES[index % LOCATION_NAMES.length] ?? 'Location'}${index >= LOCATION_NAMES.length ? ` ${index}` : ''}`;
  const items = src.count('inventoryItems');
  return {
    __typename: 'Location',
    id: resourceGid('locations', index),
    legacyResourceId: String(BASE.locations + index),
    name,
    isActive: true,
    activatable: false,
    deactivatable: true,
    deletable: false,
    addressVerified: true,
    fulfillsOnlineOrders: index === 0 || unit(seed, STREAM.locations, index, 1) < 0.5,
    shipsInventory: true,
    hasActiveInventory: true,
    hasUnfulfilledOrders: false,
    isFulfillmentService: false,
    deactivatedAt: null,
    createdAt: isoSeconds(src.createdAt('locations', index)),
    updatedAt: isoSeconds(src.updatedAt('locations', index)),
    address: {
      __typename: 'LocationAddress', address1: `${index + 1} Warehouse Rd`, address2: null, city: cityName,
      province, provinceCode, country: COUNTRY_NAMES[countryCode] ?? countryCode, countryCode, zip,
      phone: null, latitude: null, longitude: null, formatted: [`${index + 1} Warehouse Rd`, `${cityName} ${zip}`],
    },
    inventoryLevels: () => {
      const list: Rec[] = [];
      for (let item = 0; item < items; item += 1) {
        if (!src.isStocked(item, index)) continue;
        const level = src.record('inventoryLevels', item * LEVEL_STRIDE + index);
        if (level) list.push(level);
      }
      return list;
    },
    metafields: () => [],
  };
}

export function inventoryLevelRecord(src: RecordSource, levelIndex: number): Rec {
  const { seed } = src;
  const item = Math.floor(levelIndex / LEVEL_STRIDE);
  const location = levelIndex % LEVEL_STRIDE;
  const updatedAt = isoSeconds(src.updatedAt('inventoryLevels', levelIndex));
  const itemId = BASE.inventoryItems + item;
  return {
    __typename: 'InventoryLevel',
    id: resourceGid('inventoryLevels', levelIndex),
    createdAt: isoSeconds(src.createdAt('inventoryLevels', levelIndex)),
    updatedAt,
    canDeactivate: true,
    isActive: true,
    deactivationAlert: null,
    item: () => src.ref('inventoryItems', item),
    location: () => src.ref('locations', location),
    quantities: (args: Record<string, unknown>) => {
      const names = Array.isArray(args.names) ? (args.names as string[]) : ['available'];
      return names.map((name, n) => ({
        __typename: 'InventoryQuantity',
        id: gid('InventoryQuantity', BASE.inventoryLevels + levelIndex, `inventory_item_id=${itemId}&name=${name}`),
        name,
        quantity: name === 'available' || name === 'on_hand' ? hash(seed, STREAM.inventoryLevels, levelIndex, 1) % 300 : hash(seed, STREAM.inventoryLevels, levelIndex, 10 + n) % 5,
        updatedAt,
      }));
    },
  };
}
