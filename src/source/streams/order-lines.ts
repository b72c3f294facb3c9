/** An order's line items and shipping lines: their bulk selections and record shapes. */
import type { OrdersRecord } from './generated.js';
import { DISCOUNT_ALLOCATIONS, TAX_LINE, discountAllocations, taxLines } from './order-parts.js';
import { MONEY_BAG, bool, gidId, int, moneySet, refId, shopAmount, str } from './transform.js';
import type { Obj } from './transform.js';

type LineItem = NonNullable<NonNullable<OrdersRecord['line_items']>[number]>;
type ShippingLine = NonNullable<NonNullable<OrdersRecord['shipping_lines']>[number]>;

export const LINE_ITEM = `id name title variantTitle sku vendor quantity currentQuantity requiresShipping taxable isGiftCard
  product { id } variant { id } originalUnitPriceSet { ${MONEY_BAG} } totalDiscountSet { ${MONEY_BAG} } ${TAX_LINE} ${DISCOUNT_ALLOCATIONS}`;

export const SHIPPING_LINE = `id title code source carrierIdentifier phone originalPriceSet { ${MONEY_BAG} }
  discountedPriceSet { ${MONEY_BAG} } ${TAX_LINE} ${DISCOUNT_ALLOCATIONS}`;

export function lineItem(li: Obj): LineItem {
  return {
    id: gidId(li.id), admin_graphql_api_id: str(li.id),
    name: str(li.name),
    title: str(li.title),
    variant_title: str(li.variantTitle),
    sku: str(li.sku),
    vendor: str(li.vendor),
    quantity: int(li.quantity),
    current_quantity: int(li.currentQuantity),
    requires_shipping: bool(li.requiresShipping),
    taxable: bool(li.taxable),
    gift_card: bool(li.isGiftCard),
    product_id: refId(li.product),
    variant_id: refId(li.variant),
    price: shopAmount(li.originalUnitPriceSet),
    price_set: moneySet(li.originalUnitPriceSet),
    total_discount: shopAmount(li.totalDiscountSet),
    total_discount_set: moneySet(li.totalDiscountSet),
    tax_lines: taxLines(li.taxLines),
    discount_allocations: discountAllocations(li.discountAllocations),
  };
}

export function shippingLine(sl: Obj): ShippingLine {
  return {
    id: gidId(sl.id), admin_graphql_api_id: str(sl.id),
    title: str(sl.title),
    code: str(sl.code),
    source: str(sl.source),
    carrier_identifier: str(sl.carrierIdentifier),
    phone: str(sl.phone),
    price: shopAmount(sl.originalPriceSet),
    price_set: moneySet(sl.originalPriceSet),
    discounted_price: shopAmount(sl.discountedPriceSet),
    discounted_price_set: moneySet(sl.discountedPriceSet),
    tax_lines: taxLines(sl.taxLines),
    discount_allocations: discountAllocations(sl.discountAllocations),
  };
}
