/** Customers with addresses (list and connection) and a default address. */
import { between, hash, pick, unit } from '../rng.js';
import { isoSeconds } from '../clock.js';
import { mailingAddress, personName } from './address.js';
import { TAGS, longText } from './data.js';
import { BASE, CHILD, resourceGid } from './ids.js';
import { moneyV2 } from './money.js';
import { STREAM } from './streams.js';
import type { Rec, RecordSource } from './types.js';

const S = STREAM.customers;

export function customerRecord(src: RecordSource, index: number): Rec {
  const { seed } = src;
  const [firstName, lastName] = personName(seed, S, index);
  const addressCount = between(seed, 0, 3, S, index, 1);
  const addresses: Rec[] = [];
  for (let j = 0; j < addressCount; j += 1) {
    addresses.push(mailingAddress(seed, STREAM.customerAddresses, index * 4 + j, CHILD.customerAddress.base + index * CHILD.customerAddress.stride + j, 'CustomerAddress'));
  }
  const email = unit(seed, S, index, 2) < 0.05 ? null : `customer${index}@example.com`;
  const noteRoll = unit(seed, S, index, 3);
  const orders = hash(seed, S, index, 4) % 40;
  const stateRoll = unit(seed, S, index, 5);
  return {
    __typename: 'Customer',
    id: resourceGid('customers', index),
    legacyResourceId: String(BASE.customers + index),
    firstName: unit(seed, S, index, 6) < 0.03 ? null : firstName,
    lastName,
    displayName: `${firstName} ${lastName}`,
    email,
    phone: unit(seed, S, index, 7) < 0.6 ? null : `+4930${String(hash(seed, S, index, 8) % 10_000_000).padStart(7, '0')}`,
    note: noteRoll < 0.8 ? null : noteRoll < 0.99 ? 'Prefers “express” shipping / 急ぎ' : longText(index),
    tags: unit(seed, S, index, 9) < 0.5 ? [] : [pick(TAGS, seed, S, index, 10)],
    state: stateRoll < 0.8 ? 'ENABLED' : stateRoll < 0.9 ? 'DISABLED' : 'INVITED',
    verifiedEmail: email !== null,
    taxExempt: false,
    taxExemptions: [],
    locale: pick(['en', 'fr', 'de', 'ja', 'pt-BR'], seed, S, index, 11),
    createdAt: isoSeconds(src.createdAt('customers', index)),
    updatedAt: isoSeconds(src.updatedAt('customers', index)),
    numberOfOrders: String(orders),
    amountSpent: moneyV2(orders * (hash(seed, S, index, 12) % 10000), src.shopCurrency),
    lifetimeDuration: 'about 1 year',
    canDelete: orders === 0,
    dataSaleOptOut: false,
    defaultAddress: addresses[0] ?? null,
    addresses: (args: Record<string, unknown>) => (typeof args.first === 'number' ? addresses.slice(0, args.first) : addresses),
    addressesV2: () => addresses,
    defaultEmailAddress: email === null ? null : {
      __typename: 'CustomerEmailAddress', emailAddress: email,
      marketingState: unit(seed, S, index, 13) < 0.5 ? 'SUBSCRIBED' : 'NOT_SUBSCRIBED',
      marketingOptInLevel: 'SINGLE_OPT_IN', marketingUpdatedAt: null, validFormat: true,
    },
    metafields: () => [],
  };
}
