/** Orders with line items, shipping lines, discount applications and tax lines, in two currencies. */
import { between, hash, pick, unit } from '../rng.js';
import { isoSeconds } from '../clock.js';
import { mailingAddress } from './address.js';
import { CURRENCIES, DISCOUNT_CODES, GATEWAYS, SHIPPING_TITLES, TAGS, TAX_TITLES, longText } from './data.js';
import { BASE, CHILD, VARIANT_STRIDE, gid } from './ids.js';
import { moneyBag, moneyV2 } from './money.js';
import type { Currency } from './money.js';
import { STREAM } from './streams.js';
import type { Rec, RecordSource } from './types.js';

const S = STREAM.orders;

function taxLines(seed: number, stream: number, index: number, cents: number, currency: Currency): Rec[] {
  const count = between(seed, 0, 2, stream, index, 40);
  const lines: Rec[] = [];
  for (let t = 0; t < count; t += 1) {
    const rate = [0.05, 0.07, 0.08, 0.13, 0.19][hash(seed, stream, index, 41 + t) % 5] ?? 0.05;
    lines.push({
      __typename: 'TaxLine',
      title: pick(TAX_TITLES, seed, stream, index, 43 + t),
      rate,
      ratePercentage: Math.round(rate * 10000) / 100,
      priceSet: moneyBag(Math.round(cents * rate), currency),
      channelLiable: false,
      source: 'Shopify',
    });
  }
  return lines;
}

function lineItems(src: RecordSource, index: number, currency: Currency): Rec[] {
  const { seed } = src;
  const count = between(seed, 1, 5, S, index, 50);
  const products = src.count('products');
  const items: Rec[] = [];
  for (let j = 0; j < count; j += 1) {
    const product = hash(seed, S, index, 60 + j) % products;
    const k = hash(seed, S, index, 70 + j) % src.variantCount(product);
    const variantIndex = product * VARIANT_STRIDE + k;
    const quantity = between(seed, 1, 4, S, index, 80 + j);
    const unitCents = 500 + (hash(seed, STREAM.productVariants, variantIndex, 5) % 20000);
    const discountCents = unit(seed, S, index, 90 + j) < 0.8 ? 0 : Math.round(unitCents * quantity * 0.1);
    const sub = STREAM.lineItems * 1000 + j;
    const title = `Item ${product}`;
    items.push({
      __typename: 'LineItem',
      id: gid('LineItem', CHILD.lineItem.base + index * CHILD.lineItem.stride + j),
      name: title,
      title,
      variantTitle: k === 0 ? null : `Option ${k}`,
      sku: unit(seed, S, index, 100 + j) < 0.1 ? null : `SKU-${product}-${k}`,
      vendor: null,
      quantity,
      currentQuantity: quantity,
      unfulfilledQuantity: 0,
      refundableQuantity: quantity,
      nonFulfillableQuantity: 0,
      requiresShipping: true,
      taxable: true,
      isGiftCard: false,
      merchantEditable: true,
      restockable: true,
      originalUnitPriceSet: () => moneyBag(unitCents, currency),
      discountedUnitPriceSet: () => moneyBag(unitCents - Math.round(discountCents / quantity), currency),
      originalTotalSet: () => moneyBag(unitCents * quantity, currency),
      discountedTotalSet: () => moneyBag(unitCents * quantity - discountCents, currency),
      totalDiscountSet: () => moneyBag(discountCents, currency),
      taxLines: () => taxLines(seed, sub, index, unitCents * quantity - discountCents, currency),
      __cents: { original: unitCents * quantity, discount: discountCents },
      customAttributes: [],
      discountAllocations: [],
      duties: [],
      variant: () => src.ref('productVariants', variantIndex),
      product: () => src.ref('products', product),
    });
  }
  return items;
}

function shippingLines(seed: number, index: number, currency: Currency): Rec[] {
  const count = between(seed, 0, 2, S, index, 110);
  const lines: Rec[] = [];
  for (let j = 0; j < count; j += 1) {
    const cents = [0, 499, 999, 1999][hash(seed, S, index, 111 + j) % 4] ?? 0;
    const title = pick(SHIPPING_TITLES, seed, S, index, 115 + j);
    lines.push({
      __typename: 'ShippingLine',
      id: gid('ShippingLine', CHILD.shippingLine.base + index * CHILD.shippingLine.stride + j),
      title,
      code: title.toUpperCase(),
      source: 'shopify',
      carrierIdentifier: null,
      phone: null,
      custom: false,
      isRemoved: false,
      deliveryCategory: null,
      shippingRateHandle: null,
      originalPriceSet: () => moneyBag(cents, currency),
      discountedPriceSet: () => moneyBag(cents, currency),
      currentDiscountedPriceSet: () => moneyBag(cents, currency),
      taxLines: () => taxLines(seed, STREAM.shippingLines * 1000 + j, index, cents, currency),
      __cents: cents,
      discountAllocations: [],
    });
  }
  return lines;
}

function discountApplications(seed: number, index: number, currency: Currency): Rec[] {
  const count = unit(seed, S, index, 120) < 0.7 ? 0 : between(seed, 1, 2, S, index, 121);
  const apps: Rec[] = [];
  for (let j = 0; j < count; j += 1) {
    const kind = hash(seed, STREAM.discounts, index, j) % 3;
    const percent = unit(seed, STREAM.discounts, index, 10 + j) < 0.5;
    const value = percent
      ? { __typename: 'PricingPercentageValue', percentage: 10 }
      : moneyV2(500, currency.presentment);
    const common = {
      allocationMethod: j === 0 ? 'ACROSS' : 'EACH',
      index: j,
      targetSelection: 'ALL',
      targetType: 'LINE_ITEM',
      value,
    };
    if (kind === 0) apps.push({ __typename: 'DiscountCodeApplication', ...common, code: pick(DISCOUNT_CODES, seed, STREAM.discounts, index, 20 + j) });
    else if (kind === 1) apps.push({ __typename: 'AutomaticDiscountApplication', ...common, title: 'Spend & save' });
    else apps.push({ __typename: 'ManualDiscountApplication', ...common, title: 'Goodwill', description: null });
  }
  return apps;
}

export function orderRecord(src: RecordSource, index: number): Rec {
  const { seed } = src;
  const [presentment, rate] = pick(CURRENCIES, seed, S, index, 1);
  const currency: Currency = { shop: src.shopCurrency, presentment, rate };
  const items = lineItems(src, index, currency);
  const ships = shippingLines(seed, index, currency);
  let subtotal = 0;
  let discounts = 0;
  for (const item of items) {
    const cents = item.__cents as { original: number; discount: number };
    subtotal += cents.original;
    discounts += cents.discount;
  }
  const shipping = ships.reduce((sum, line) => sum + (line.__cents as number), 0);
  const tax = Math.round((subtotal - discounts) * 0.08);
  const total = subtotal - discounts + shipping + tax;
  const createdAt = src.createdAt('orders', index);
  const customers = src.count('customers');
  const customerIndex = unit(seed, S, index, 3) < 0.1 ? -1 : hash(seed, S, index, 4) % customers;
  const cancelled = unit(seed, S, index, 5) < 0.05;
  const noteRoll = unit(seed, S, index, 6);
  const number = 1000 + index + 1;
  const addressBase = CHILD.orderAddress.base + index * CHILD.orderAddress.stride;
  const billing = () => (unit(seed, S, index, 7) < 0.05 ? null : mailingAddress(seed, STREAM.orderAddresses, index * 2, addressBase, 'Address'));
  const shippingAddress = () => (unit(seed, S, index, 8) < 0.1 ? null : mailingAddress(seed, STREAM.orderAddresses, index * 2 + 1, addressBase + 1, 'Address'));
  return {
    __typename: 'Order',
    id: gid('Order', BASE.orders + index),
    legacyResourceId: String(BASE.orders + index),
    name: `#${number}`,
    number,
    email: customerIndex < 0 ? null : `customer${customerIndex}@example.com`,
    phone: null,
    createdAt: isoSeconds(createdAt),
    updatedAt: isoSeconds(src.updatedAt('orders', index)),
    processedAt: isoSeconds(createdAt),
    closedAt: null,
    closed: false,
    cancelledAt: cancelled ? isoSeconds(createdAt + 3_600_000) : null,
    cancelReason: cancelled ? 'CUSTOMER' : null,
    confirmed: true,
    test: false,
    note: noteRoll < 0.7 ? null : noteRoll < 0.98 ? 'Leave at the door / ドアの前に置いてください 📦' : longText(index),
    tags: unit(seed, S, index, 9) < 0.5 ? [] : [pick(TAGS, seed, S, index, 10)],
    sourceName: 'web',
    customerLocale: 'en',
    currencyCode: currency.shop,
    presentmentCurrencyCode: currency.presentment,
    taxesIncluded: false,
    taxExempt: false,
    estimatedTaxes: false,
    dutiesIncluded: false,
    edited: false,
    fullyPaid: !cancelled,
    unpaid: false,
    refundable: true,
    capturable: false,
    displayFinancialStatus: cancelled ? 'VOIDED' : 'PAID',
    displayFulfillmentStatus: 'FULFILLED',
    paymentGatewayNames: [pick(GATEWAYS, seed, S, index, 11)],
    discountCodes: [],
    customAttributes: [],
    subtotalLineItemsQuantity: items.reduce((sum, item) => sum + (item.quantity as number), 0),
    currentSubtotalLineItemsQuantity: items.reduce((sum, item) => sum + (item.quantity as number), 0),
    totalWeight: String(hash(seed, S, index, 12) % 5000),
    subtotalPriceSet: () => moneyBag(subtotal - discounts, currency),
    currentSubtotalPriceSet: () => moneyBag(subtotal - discounts, currency),
    totalDiscountsSet: () => moneyBag(discounts, currency),
    currentTotalDiscountsSet: () => moneyBag(discounts, currency),
    totalShippingPriceSet: () => moneyBag(shipping, currency),
    currentShippingPriceSet: () => moneyBag(shipping, currency),
    totalTaxSet: () => moneyBag(tax, currency),
    currentTotalTaxSet: () => moneyBag(tax, currency),
    totalPriceSet: () => moneyBag(total, currency),
    currentTotalPriceSet: () => moneyBag(total, currency),
    originalTotalPriceSet: () => moneyBag(total, currency),
    totalReceivedSet: () => moneyBag(cancelled ? 0 : total, currency),
    netPaymentSet: () => moneyBag(cancelled ? 0 : total, currency),
    totalRefundedSet: () => moneyBag(0, currency),
    totalOutstandingSet: () => moneyBag(0, currency),
    taxLines: () => taxLines(seed, S, index, subtotal - discounts, currency),
    currentTaxLines: () => taxLines(seed, S, index, subtotal - discounts, currency),
    billingAddress: billing,
    shippingAddress,
    displayAddress: billing,
    billingAddressMatchesShippingAddress: false,
    customer: () => (customerIndex < 0 ? null : src.ref('customers', customerIndex)),
    lineItems: () => items,
    shippingLines: () => ships,
    discountApplications: () => discountApplications(seed, index, currency),
  };
}
