/** Products with options, variants, media and metafields; variants and their inventory items. */
import { between, hash, pick, unit } from '../rng.js';
import { isoSeconds } from '../clock.js';
import { ADJECTIVES, NOUNS, OPTION_SETS, PRODUCT_TYPES, TAGS, VENDORS, longText } from './data.js';
import { BASE, CHILD, LEVEL_STRIDE, VARIANT_STRIDE, gid, resourceGid } from './ids.js';
import { moneyV2 } from './money.js';
import { STREAM } from './streams.js';
import type { Rec, RecordSource } from './types.js';

const S = STREAM.products;

export function productTitle(seed: number, index: number): string {
  return `${pick(ADJECTIVES, seed, S, index, 1)} ${pick(NOUNS, seed, S, index, 2)} ${index}`;
}

function optionSet(seed: number, index: number): (typeof OPTION_SETS)[number] {
  return pick(OPTION_SETS, seed, S, index, 3);
}

export function variantPriceCents(seed: number, variantIndex: number): number {
  return 500 + (hash(seed, STREAM.productVariants, variantIndex, 5) % 20000);
}

function metafields(src: RecordSource, index: number): Rec[] {
  const { seed } = src;
  const count = between(seed, 0, 3, STREAM.metafields, index, 0);
  const owner = src.updatedAt('products', index);
  const list: Rec[] = [];
  for (let j = 0; j < count; j += 1) {
    const kind = hash(seed, STREAM.metafields, index, 1 + j) % 4;
    const [type, value] = kind === 0 ? ['single_line_text_field', `Care: wash cold / hang dry ${j}`]
      : kind === 1 ? ['number_integer', String(hash(seed, STREAM.metafields, index, 9 + j) % 1000)]
      : kind === 2 ? ['json', JSON.stringify({ origin: 'Ünïcödé', layers: [1, 2], url: 'https://example.com/a/b' })]
      : ['boolean', 'true'];
    const id = CHILD.metafield.base + index * CHILD.metafield.stride + j;
    const at = isoSeconds(owner - j * 60_000);
    list.push({
      __typename: 'Metafield', id: gid('Metafield', id), legacyResourceId: String(id), namespace: 'custom',
      key: `key_${j}`, type, value, jsonValue: type === 'json' ? JSON.parse(value) : value, description: null,
      createdAt: at, updatedAt: at, ownerType: 'PRODUCT', owner: () => src.ref('products', index),
      compareDigest: String(hash(seed, STREAM.metafields, index, 20 + j)), sizeInBytes: value.length,
    });
  }
  return list;
}

function media(src: RecordSource, index: number): Rec[] {
  const { seed } = src;
  const count = between(seed, 0, 3, STREAM.media, index, 0);
  const created = isoSeconds(src.createdAt('products', index));
  const list: Rec[] = [];
  for (let j = 0; j < count; j += 1) {
    const id = CHILD.media.base + index * CHILD.media.stride + j;
    const alt = j === 2 ? null : `Photo ${j} of ${productTitle(seed, index)}`;
    const image = { __typename: 'Image', id: gid('ImageSource', id), url: `https://cdn.example.com/s/files/1/${index}/${j}.jpg`, altText: alt, width: 1024, height: 768 };
    list.push({
      __typename: 'MediaImage', id: gid('MediaImage', id), alt, mediaContentType: 'IMAGE', status: 'READY',
      fileStatus: 'READY', mimeType: 'image/jpeg', createdAt: created, updatedAt: created, image,
      preview: { __typename: 'MediaPreviewImage', image, status: 'READY' }, mediaErrors: [], mediaWarnings: [],
      metafields: () => [],
    });
  }
  return list;
}

export function productRecord(src: RecordSource, index: number): Rec {
  const { seed } = src;
  const title = productTitle(seed, index);
  const variantCount = src.variantCount(index);
  const [optionName, optionValues] = optionSet(seed, index);
  const values = optionValues.slice(0, variantCount);
  const statusRoll = unit(seed, S, index, 4);
  const created = src.createdAt('products', index);
  const prices = Array.from({ length: variantCount }, (_, k) => variantPriceCents(seed, index * VARIANT_STRIDE + k));
  return {
    __typename: 'Product',
    id: resourceGid('products', index),
    legacyResourceId: String(BASE.products + index),
    title,
    handle: `product-${index}`,
    description: unit(seed, S, index, 5) < 0.05 ? longText(index) : `A fine ${title}.`,
    descriptionHtml: `<p>A fine <strong>${title}</strong>.</p>`,
    vendor: pick(VENDORS, seed, S, index, 6),
    productType: pick(PRODUCT_TYPES, seed, S, index, 7),
    status: statusRoll < 0.8 ? 'ACTIVE' : statusRoll < 0.95 ? 'DRAFT' : 'ARCHIVED',
    tags: unit(seed, S, index, 8) < 0.4 ? [] : [pick(TAGS, seed, S, index, 9), pick(TAGS, seed, S, index, 10)],
    createdAt: isoSeconds(created),
    updatedAt: isoSeconds(src.updatedAt('products', index)),
    publishedAt: statusRoll < 0.8 ? isoSeconds(created) : null,
    templateSuffix: null,
    isGiftCard: false,
    hasOnlyDefaultVariant: variantCount === 1,
    hasOutOfStockVariants: false,
    tracksInventory: true,
    totalInventory: hash(seed, S, index, 11) % 500,
    onlineStoreUrl: statusRoll < 0.8 ? `https://simulator-shop.example.com/products/product-${index}` : null,
    seo: { __typename: 'SEO', title: null, description: null },
    options: values.length === 0 ? [] : [{
      __typename: 'ProductOption', id: gid('ProductOption', CHILD.productOption.base + index * CHILD.productOption.stride),
      name: optionName, position: 1, values,
      optionValues: values.map((name, k) => ({ __typename: 'ProductOptionValue', id: gid('ProductOptionValue', (BASE.products + index) * 8 + k), name, hasVariants: true })),
    }],
    priceRangeV2: {
      __typename: 'ProductPriceRangeV2',
      minVariantPrice: moneyV2(Math.min(...prices), src.shopCurrency),
      maxVariantPrice: moneyV2(Math.max(...prices), src.shopCurrency),
    },
    variantsCount: { __typename: 'Count', count: variantCount, precision: 'EXACT' },
    variants: () => variantIndexes(src, index).map((v) => src.record('productVariants', v)).filter((v): v is Rec => v !== null),
    media: () => media(src, index),
    metafields: () => metafields(src, index),
  };
}

export function variantIndexes(src: RecordSource, productIndex: number): number[] {
  return Array.from({ length: src.variantCount(productIndex) }, (_, k) => productIndex * VARIANT_STRIDE + k);
}

export function variantRecord(src: RecordSource, variantIndex: number): Rec {
  const { seed } = src;
  const product = Math.floor(variantIndex / VARIANT_STRIDE);
  const k = variantIndex % VARIANT_STRIDE;
  const [optionName, optionValues] = optionSet(seed, product);
  const value = optionValues[k] ?? 'Default Title';
  const price = variantPriceCents(seed, variantIndex);
  const compare = unit(seed, STREAM.productVariants, variantIndex, 6) < 0.3 ? Math.round(price * 1.25) : null;
  const sku = unit(seed, STREAM.productVariants, variantIndex, 7) < 0.1 ? null : `SKU-${product}-${k}`;
  return {
    __typename: 'ProductVariant',
    id: resourceGid('productVariants', variantIndex),
    legacyResourceId: String(BASE.productVariants + variantIndex),
    title: value,
    displayName: `${productTitle(seed, product)} - ${value}`,
    sku,
    barcode: unit(seed, STREAM.productVariants, variantIndex, 8) < 0.5 ? null : String(400000000000 + variantIndex),
    price: (price / 100).toFixed(2),
    compareAtPrice: compare === null ? null : (compare / 100).toFixed(2),
    position: k + 1,
    inventoryQuantity: (hash(seed, STREAM.productVariants, variantIndex, 9) % 200) - 20,
    inventoryPolicy: unit(seed, STREAM.productVariants, variantIndex, 10) < 0.9 ? 'DENY' : 'CONTINUE',
    taxable: true,
    availableForSale: true,
    requiresComponents: false,
    createdAt: isoSeconds(src.createdAt('productVariants', variantIndex)),
    updatedAt: isoSeconds(src.updatedAt('productVariants', variantIndex)),
    selectedOptions: [{ __typename: 'SelectedOption', name: optionName, value }],
    product: () => src.ref('products', product),
    inventoryItem: () => src.ref('inventoryItems', variantIndex),
    media: () => [],
    metafields: () => [],
  };
}

export function inventoryItemRecord(src: RecordSource, index: number): Rec {
  const { seed } = src;
  const product = Math.floor(index / VARIANT_STRIDE);
  const k = index % VARIANT_STRIDE;
  const locations = src.count('locations');
  const levels = () => {
    const list: Rec[] = [];
    for (let loc = 0; loc < locations; loc += 1) {
      if (src.isStocked(index, loc)) {
        const level = src.record('inventoryLevels', index * LEVEL_STRIDE + loc);
        if (level) list.push(level);
      }
    }
    return list;
  };
  return {
    __typename: 'InventoryItem',
    id: resourceGid('inventoryItems', index),
    legacyResourceId: String(BASE.inventoryItems + index),
    sku: unit(seed, STREAM.productVariants, index, 7) < 0.1 ? null : `SKU-${product}-${k}`,
    tracked: unit(seed, STREAM.inventoryItems, index, 1) < 0.9,
    requiresShipping: true,
    duplicateSkuCount: 0,
    createdAt: isoSeconds(src.createdAt('inventoryItems', index)),
    updatedAt: isoSeconds(src.updatedAt('inventoryItems', index)),
    countryCodeOfOrigin: unit(seed, STREAM.inventoryItems, index, 2) < 0.5 ? null : 'CA',
    provinceCodeOfOrigin: null,
    harmonizedSystemCode: unit(seed, STREAM.inventoryItems, index, 3) < 0.5 ? null : '610910',
    unitCost: unit(seed, STREAM.inventoryItems, index, 4) < 0.2 ? null : moneyV2(Math.round(variantPriceCents(seed, index) * 0.4), src.shopCurrency),
    measurement: { __typename: 'InventoryItemMeasurement', id: gid('InventoryItemMeasurement', BASE.inventoryItems + index), weight: { __typename: 'Weight', unit: 'KILOGRAMS', value: 0.5 } },
    variant: () => src.ref('productVariants', index),
    inventoryLevels: levels,
    locationsCount: () => ({ __typename: 'Count', count: levels().length, precision: 'EXACT' }),
  };
}
