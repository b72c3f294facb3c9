/**
 * Record mapping per stream on representative reassembled bulk nodes (as the JSONL reader hands
 * them over): ids from gids (parameterised ones too), money as numbers in shop and presentment
 * currency, `+00:00` dates, nulls kept, unicode untouched; every record validates against its schema.
 */
import { describe, expect, it } from 'vitest';
import { ALL_STREAMS } from '../../../../src/source/streams/index.js';
import type { BulkNode, SourceRecord, StreamDefinition } from '../../../../src/source/streams/define.js';
import { recordProblems } from '../../../support/stream-checks.js';

const SHOP = 'my-store';
const bag = (shop: string, presentment: string, pc = 'EUR') => ({ shopMoney: { amount: shop, currencyCode: 'USD' }, presentmentMoney: { amount: presentment, currencyCode: pc } });

function stream(name: string): StreamDefinition {
  const found = ALL_STREAMS.find((s) => s.name === name);
  if (!found) throw new Error(`no stream ${name}`);
  return found;
}

function records(name: string, node: BulkNode): SourceRecord[] {
  const def = stream(name);
  const out = [...def.extraction.toRecords(node, { shop: SHOP })];
  expect(recordProblems({ name, json_schema: def.schema, primaryKey: def.primaryKey, cursorField: def.cursorField ? [def.cursorField] : undefined }, out)).toEqual([]);
  return out;
}

const discount = { __typename: 'DiscountCodeApplication', index: 0, allocationMethod: 'ACROSS', targetSelection: 'ALL', targetType: 'LINE_ITEM', value: { __typename: 'PricingPercentageValue', percentage: 10 }, code: 'SUMMER10' };

describe('orders', () => {
  const order: BulkNode = {
    id: 'gid://shopify/Order/5100000000001', name: '#1001', email: null, createdAt: '2024-03-01T10:00:00Z', updatedAt: '2024-03-02T11:30:00Z',
    processedAt: '2024-03-01T10:00:00Z', closedAt: null, cancelledAt: null, note: 'Leave at the door / ドアの前に置いてください 📦', tags: ['vip', 'wholesale'],
    currencyCode: 'USD', presentmentCurrencyCode: 'EUR', paymentGatewayNames: ['shopify_payments'], discountCodes: ['SUMMER10'],
    customAttributes: [{ key: 'gift', value: null }], totalWeight: '1200',
    totalPriceSet: bag('110.00', '101.20'), subtotalPriceSet: bag('100.00', '92.00'), totalTaxSet: null,
    taxLines: [{ title: 'VAT', rate: 0.19, ratePercentage: 19, priceSet: bag('19.00', '17.48'), channelLiable: false, source: 'Shopify' }],
    billingAddress: { id: 'gid://shopify/MailingAddress/8800000000000?model_name=Address', firstName: 'Zoë', lastName: 'Müller', address1: '1 Königstraße', city: 'Berlin', countryCodeV2: 'DE', latitude: 52.5, longitude: null },
    shippingAddress: null, customer: { id: 'gid://shopify/Customer/6200000000003' },
    __children: {
      LineItem: [{
        id: 'gid://shopify/LineItem/13000000000000', title: 'Mug', quantity: 2, sku: null, product: { id: 'gid://shopify/Product/8100000000004' }, variant: null,
        originalUnitPriceSet: bag('50.00', '46.00'), totalDiscountSet: bag('10.00', '9.20'), taxLines: [],
        discountAllocations: [{ allocatedAmountSet: bag('10.00', '9.20'), discountApplication: discount }],
      }],
      ShippingLine: [{
        id: 'gid://shopify/ShippingLine/4800000000000', title: 'Standard', originalPriceSet: bag('4.99', '4.59'), discountedPriceSet: bag('4.99', '4.59'),
        taxLines: [], discountAllocations: [{ allocatedAmountSet: bag('1.00', '0.92'), discountApplication: { ...discount, __typename: 'AutomaticDiscountApplication', index: 1, code: undefined, title: 'Spend & save', value: { __typename: 'MoneyV2', amount: '1.00', currencyCode: 'EUR' } } }],
      }],
    },
  };

  it('maps ids, money, dates, addresses, children and discount applications', () => {
    const [r] = records('orders', order);
    expect(r).toMatchObject({
      id: 5100000000001, admin_graphql_api_id: 'gid://shopify/Order/5100000000001', shop_url: SHOP, name: '#1001', number: 1001,
      email: null, updated_at: '2024-03-02T11:30:00+00:00', closed_at: null, tags: 'vip, wholesale', presentment_currency: 'EUR',
      note: 'Leave at the door / ドアの前に置いてください 📦', total_weight: 1200, total_price: 110,
      total_price_set: { shop_money: { amount: 110, currency_code: 'USD' }, presentment_money: { amount: 101.2, currency_code: 'EUR' } },
      total_tax: null, total_tax_set: null, discount_codes: [{ code: 'SUMMER10' }], note_attributes: [{ name: 'gift', value: null }],
      tax_lines: [{ title: 'VAT', rate: 0.19, price: 19, price_set: { presentment_money: { amount: 17.48, currency_code: 'EUR' } } }],
      billing_address: { id: 8800000000000, first_name: 'Zoë', last_name: 'Müller', country_code: 'DE', latitude: 52.5, longitude: null, zip: null },
      shipping_address: null, customer: { id: 6200000000003 },
    });
    expect(r?.line_items).toEqual([expect.objectContaining({ id: 13000000000000, quantity: 2, sku: null, product_id: 8100000000004, variant_id: null, price: 50, total_discount: 10, discount_allocations: [expect.objectContaining({ amount: 10, discount_application_index: 0 })] })]);
    expect(r?.shipping_lines).toEqual([expect.objectContaining({ id: 4800000000000, title: 'Standard', price: 4.99, discounted_price_set: expect.objectContaining({ presentment_money: { amount: 4.59, currency_code: 'EUR' } }) })]);
    expect(r?.discount_applications).toEqual([
      expect.objectContaining({ index: 0, type: 'discount_code', code: 'SUMMER10', value: '10', value_type: 'percentage' }),
      expect.objectContaining({ index: 1, type: 'automatic', title: 'Spend & save', value: '1.00', value_type: 'fixed_amount', currency_code: 'EUR' }),
    ]);
  });

  it('takes number from the API when it is there, and copes with no children', () => {
    const [r] = records('orders', { id: 'gid://shopify/Order/7', name: 'A-7', number: 7, updatedAt: '2024-01-01T00:00:00Z' });
    expect(r).toMatchObject({ id: 7, number: 7, order_number: 7, line_items: [], shipping_lines: [], discount_applications: [], billing_address: null });
  });
});

describe('products and variants', () => {
  it('products carry options, variants, images and media ids; expected children come from variantsCount', () => {
    const node: BulkNode = {
      id: 'gid://shopify/Product/81', title: 'Crème brûlée set', tags: [], status: 'ACTIVE', publishedAt: null, updatedAt: '2024-05-01T00:00:00Z',
      options: [{ id: 'gid://shopify/ProductOption/9', name: 'Size', position: 1, values: ['S', 'M'] }], variantsCount: { count: 2, precision: 'EXACT' },
      __children: {
        ProductVariant: [{ id: 'gid://shopify/ProductVariant/1', price: '12.50', compareAtPrice: null, position: 1 }, { id: 'gid://shopify/ProductVariant/2', price: '13.00', position: 2 }],
        MediaImage: [{ id: 'gid://shopify/MediaImage/31', mediaContentType: 'IMAGE', alt: null, image: { url: 'https://cdn.example.com/a.jpg', width: 10, height: 20 } }],
        Video: [{ id: 'gid://shopify/Video/32', mediaContentType: 'VIDEO' }],
      },
    };
    const [r] = records('products', node);
    expect(r).toMatchObject({ id: 81, title: 'Crème brûlée set', tags: null, published_at: null, options: [{ id: 9, product_id: 81, values: ['S', 'M'] }], media_ids: [31, 32] });
    expect(r?.variants).toEqual([expect.objectContaining({ id: 1, product_id: 81, price: 12.5, compare_at_price: null }), expect.objectContaining({ id: 2, price: 13 })]);
    expect(r?.images).toEqual([expect.objectContaining({ id: 31, src: 'https://cdn.example.com/a.jpg', alt: null, position: 1, width: 10 })]);
    const extraction = stream('products').extraction;
    expect(extraction.kind === 'bulk' && extraction.expectedChildren?.(node)).toEqual({ ProductVariant: 2 });
  });

  it('product_variants flatten options, inventory item and weight', () => {
    const [r] = records('product_variants', {
      id: 'gid://shopify/ProductVariant/43', price: '0.99', compareAtPrice: '1.50', inventoryQuantity: -3, product: { id: 'gid://shopify/Product/81' },
      selectedOptions: [{ name: 'Size', value: 'XL' }, { name: 'Farbe', value: 'Grün' }], inventoryItem: { id: 'gid://shopify/InventoryItem/45', requiresShipping: true, measurement: { weight: { unit: 'KILOGRAMS', value: 0.5 } } },
      updatedAt: '2024-05-01T00:00:00Z',
    });
    expect(r).toMatchObject({ id: 43, product_id: 81, price: 0.99, compare_at_price: 1.5, inventory_quantity: -3, inventory_item_id: 45, option1: 'XL', option2: 'Grün', option3: null, weight: 0.5, weight_unit: 'KILOGRAMS', requires_shipping: true });
  });
});

describe('customers', () => {
  const address = (n: number) => ({ id: `gid://shopify/MailingAddress/${n}?model_name=CustomerAddress`, city: '東京', countryCodeV2: 'JP' });
  it('maps contact fields of 2026 and 2025-01 alike, addresses with the default flagged', () => {
    const base = { id: 'gid://shopify/Customer/62', numberOfOrders: '12', amountSpent: { amount: '99.95', currencyCode: 'JPY' }, defaultAddress: address(2), __children: { MailingAddress: [address(1), address(2)] } };
    const [newer] = records('customers', { ...base, defaultEmailAddress: { emailAddress: 'a@example.com', marketingState: 'SUBSCRIBED' }, defaultPhoneNumber: null });
    const [older] = records('customers', { ...base, email: 'a@example.com', phone: '+4930123', emailMarketingConsent: { marketingState: 'NOT_SUBSCRIBED' } });
    expect(newer).toMatchObject({ id: 62, email: 'a@example.com', accepts_marketing: true, phone: null, orders_count: 12, total_spent: 99.95, currency: 'JPY' });
    expect(older).toMatchObject({ email: 'a@example.com', accepts_marketing: false, phone: '+4930123' });
    expect(newer?.addresses).toEqual([expect.objectContaining({ id: 1, customer_id: 62, default: false, city: '東京' }), expect.objectContaining({ id: 2, default: true })]);
    expect(newer?.default_address).toMatchObject({ id: 2, default: true, customer_id: 62 });
  });
});

describe('inventory', () => {
  it('inventory_items: cost as a number, null cost kept', () => {
    expect(records('inventory_items', { id: 'gid://shopify/InventoryItem/45', unitCost: { amount: '4.20', currencyCode: 'USD' } })[0]).toMatchObject({ id: 45, cost: 4.2, currency_code: 'USD' });
    expect(records('inventory_items', { id: 'gid://shopify/InventoryItem/46', unitCost: null })[0]).toMatchObject({ cost: null, currency_code: null });
  });

  it('inventory_levels: one record per level, id unique per location and item although the gid number repeats', () => {
    const level = (item: number, available: number) => ({
      id: `gid://shopify/InventoryLevel/900?inventory_item_id=${item}`, item: { id: `gid://shopify/InventoryItem/${item}` }, updatedAt: '2024-06-01T00:00:00Z',
      quantities: [{ id: `gid://shopify/InventoryQuantity/900?inventory_item_id=${item}&name=available`, name: 'available', quantity: available, updatedAt: null }, { id: `gid://shopify/InventoryQuantity/900?inventory_item_id=${item}&name=on_hand`, name: 'on_hand', quantity: 7, updatedAt: '2024-06-01T00:00:00Z' }],
    });
    const out = records('inventory_levels', { id: 'gid://shopify/Location/70', __children: { InventoryLevel: [level(45, 3), level(46, 0)] } });
    expect(out.map((r) => r.id)).toEqual(['70|45', '70|46']);
    expect(out[0]).toMatchObject({ admin_graphql_api_id: 'gid://shopify/InventoryLevel/900?inventory_item_id=45', location_id: 70, inventory_item_id: 45, available: 3, updated_at: '2024-06-01T00:00:00+00:00', shop_url: SHOP });
    expect(out[0]?.quantities).toEqual([expect.objectContaining({ id: 900, name: 'available', quantity: 3, updated_at: null }), expect.objectContaining({ name: 'on_hand', quantity: 7 })]);
    expect(records('inventory_levels', { id: 'gid://shopify/Location/71' })).toEqual([]);
  });

  it('locations: address flattened', () => {
    expect(records('locations', { id: 'gid://shopify/Location/70', name: 'Entrepôt', isActive: true, isFulfillmentService: false, address: { city: 'Montréal', countryCode: 'CA', zip: null } })[0])
      .toMatchObject({ id: 70, name: 'Entrepôt', active: true, legacy: false, city: 'Montréal', country_code: 'CA', zip: null });
  });
});

describe('collections, metafields, shop', () => {
  it('collections: smart with rules, custom without', () => {
    const [smart] = records('collections', { id: 'gid://shopify/Collection/44', title: 'Tagged “sale”', productsCount: { count: 3 }, ruleSet: { appliedDisjunctively: false, rules: [{ column: 'TAG', relation: 'EQUALS', condition: 'sale' }] } });
    const [custom] = records('collections', { id: 'gid://shopify/Collection/45', ruleSet: null, productsCount: null });
    expect(smart).toMatchObject({ id: 44, collection_type: 'smart', disjunctive: false, products_count: 3, rules: [{ column: 'TAG', relation: 'EQUALS', condition: 'sale' }] });
    expect(custom).toMatchObject({ collection_type: 'custom', disjunctive: null, rules: null, products_count: null });
  });

  it('metafield_products: one record per metafield, owned by the product', () => {
    const out = records('metafield_products', { id: 'gid://shopify/Product/81', updatedAt: '2024-01-01T00:00:00Z', __children: { Metafield: [
      { id: 'gid://shopify/Metafield/22', namespace: 'custom', key: 'care', value: '{"origin":"Ünïcödé"}', type: 'json', description: null, updatedAt: '2024-01-02T00:00:00Z' },
      { id: 'gid://shopify/Metafield/23', namespace: 'custom', key: 'n', value: '5', type: 'number_integer', definition: { description: 'Count' } },
    ] } });
    expect(out).toEqual([
      expect.objectContaining({ id: 22, owner_id: 81, owner_resource: 'product', value: '{"origin":"Ünïcödé"}', description: null, updated_at: '2024-01-02T00:00:00+00:00' }),
      expect.objectContaining({ id: 23, description: 'Count' }),
    ]);
  });

  it('shop: one record from the plain query, 2026 and 2025-01 field names alike', () => {
    const extraction = stream('shop').extraction;
    if (extraction.kind !== 'graphql') throw new Error('shop is a plain GraphQL stream');
    const data = { shop: { id: 'gid://shopify/Shop/1', name: 'Ma boutique', currencyCode: 'EUR', enabledPresentmentCurrencies: ['EUR', 'USD'], primaryDomain: { host: 'shop.example.com' }, plan: { displayName: 'Basic' }, address: { countryCodeV2: 'FR', country: 'France', latitude: 48.8 } } };
    const [r] = [...extraction.toRecords(data, { shop: SHOP })];
    expect(r).toMatchObject({ id: 1, name: 'Ma boutique', currency: 'EUR', domain: 'shop.example.com', plan_display_name: 'Basic', country_code: 'FR', country_name: 'France', latitude: 48.8, shop_url: SHOP });
    const def = stream('shop');
    expect(recordProblems({ name: 'shop', json_schema: def.schema, primaryKey: def.primaryKey, cursorField: undefined }, r ? [r] : [])).toEqual([]);
    expect([...extraction.toRecords({ shop: null }, { shop: SHOP })]).toEqual([]);
  });
});
