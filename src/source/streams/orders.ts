/** `orders`: orders with line items and shipping lines (nested connections), totals in shop and presentment money. */
import { defineStream } from './define.js';
import type { OrdersRecord } from './generated.js';
import { LINE_ITEM, SHIPPING_LINE, lineItem, shippingLine } from './order-lines.js';
import { TAX_LINE, discountApplications, taxLines } from './order-parts.js';
import { MAILING_ADDRESS, MONEY_BAG, address, bool, children, connection, dateTime, gidId, ids, int, list, moneySet, obj, rootArgs, shopAmount, str, strings, tags } from './transform.js';
import type { Obj } from './transform.js';

const TOTALS = ['subtotalPriceSet', 'currentSubtotalPriceSet', 'totalDiscountsSet', 'currentTotalDiscountsSet', 'totalShippingPriceSet',
  'totalTaxSet', 'currentTotalTaxSet', 'totalPriceSet', 'currentTotalPriceSet', 'totalOutstandingSet'];

/** `Order.number` appeared after 2025-01; there the number is read from the name (`#1001` → 1001) when it is plain. */
const numberField = (apiVersion: string): string => (apiVersion >= '2026-04' ? 'number' : '');

export const orders = defineStream({
  name: 'orders',
  primaryKey: [['id']],
  cursorField: 'updated_at',
  scopes: ['read_orders'],
  extraction: {
    kind: 'bulk',
    query: ({ apiVersion, filter }) => `{ ${connection('orders', rootArgs(filter, 'UPDATED_AT'), `id name ${numberField(apiVersion)} email phone
  createdAt updatedAt processedAt closedAt cancelledAt cancelReason confirmed test note tags sourceName customerLocale currencyCode
  presentmentCurrencyCode taxesIncluded taxExempt estimatedTaxes displayFinancialStatus displayFulfillmentStatus paymentGatewayNames
  discountCodes customAttributes { key value } totalWeight ${TOTALS.map((t) => `${t} { ${MONEY_BAG} }`).join(' ')} ${TAX_LINE}
  billingAddress { ${MAILING_ADDRESS} } shippingAddress { ${MAILING_ADDRESS} } customer { id }
  ${connection('lineItems', '', LINE_ITEM)} ${connection('shippingLines', '', SHIPPING_LINE)}`)} }`,
    *toRecords(node, { shop }) {
      const items = children(node, 'LineItem');
      const ships = children(node, 'ShippingLine');
      const name = str(node.name);
      const number = int(node.number) ?? (name && /^#\d+$/.test(name) ? Number(name.slice(1)) : null);
      const customer = obj(node.customer);
      const record: OrdersRecord = {
        id: gidId(node.id), admin_graphql_api_id: str(node.id), shop_url: shop,
        name, number, order_number: number,
        email: str(node.email), phone: str(node.phone),
        created_at: dateTime(node.createdAt), updated_at: dateTime(node.updatedAt), processed_at: dateTime(node.processedAt),
        closed_at: dateTime(node.closedAt), cancelled_at: dateTime(node.cancelledAt), cancel_reason: str(node.cancelReason),
        confirmed: bool(node.confirmed), test: bool(node.test), note: str(node.note), tags: tags(node.tags),
        source_name: str(node.sourceName), customer_locale: str(node.customerLocale),
        currency: str(node.currencyCode), presentment_currency: str(node.presentmentCurrencyCode),
        taxes_included: bool(node.taxesIncluded), tax_exempt: bool(node.taxExempt), estimated_taxes: bool(node.estimatedTaxes),
        financial_status: str(node.displayFinancialStatus), fulfillment_status: str(node.displayFulfillmentStatus),
        payment_gateway_names: strings(node.paymentGatewayNames),
        discount_codes: strings(node.discountCodes).map((code) => ({ code })),
        note_attributes: list(node.customAttributes).map(obj).filter((a): a is Obj => a !== null).map((a) => ({ name: str(a.key), value: str(a.value) })),
        total_weight: int(node.totalWeight),
        subtotal_price: shopAmount(node.subtotalPriceSet), subtotal_price_set: moneySet(node.subtotalPriceSet),
        current_subtotal_price: shopAmount(node.currentSubtotalPriceSet), current_subtotal_price_set: moneySet(node.currentSubtotalPriceSet),
        total_discounts: shopAmount(node.totalDiscountsSet), total_discounts_set: moneySet(node.totalDiscountsSet),
        current_total_discounts: shopAmount(node.currentTotalDiscountsSet), current_total_discounts_set: moneySet(node.currentTotalDiscountsSet),
        total_shipping_price_set: moneySet(node.totalShippingPriceSet),
        total_tax: shopAmount(node.totalTaxSet), total_tax_set: moneySet(node.totalTaxSet),
        current_total_tax: shopAmount(node.currentTotalTaxSet), current_total_tax_set: moneySet(node.currentTotalTaxSet),
        total_price: shopAmount(node.totalPriceSet), total_price_set: moneySet(node.totalPriceSet),
        current_total_price: shopAmount(node.currentTotalPriceSet), current_total_price_set: moneySet(node.currentTotalPriceSet),
        total_outstanding: shopAmount(node.totalOutstandingSet),
        tax_lines: taxLines(node.taxLines),
        billing_address: address(node.billingAddress), shipping_address: address(node.shippingAddress),
        customer: customer ? ids(customer) : null,
        line_items: items.map(lineItem), shipping_lines: ships.map(shippingLine),
        discount_applications: discountApplications([...items, ...ships]),
      };
      yield record;
    },
  },
});
