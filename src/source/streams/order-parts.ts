/** Order pieces shared by line items and shipping lines: tax lines, discount allocations and applications. */
import type { OrdersRecord } from './generated.js';
import { MONEY_BAG, bool, int, list, moneySet, num, obj, shopAmount, str } from './transform.js';
import type { Obj } from './transform.js';

type DiscountApplication = NonNullable<NonNullable<OrdersRecord['discount_applications']>[number]>;

export const TAX_LINE = `taxLines { title rate ratePercentage channelLiable source priceSet { ${MONEY_BAG} } }`;

/**
 * Discount applications are read through the allocations that point at them: the order's own
 * `discountApplications` connection has nodes without ids (not `Node`), which a bulk export cannot attach.
 */
export const DISCOUNT_ALLOCATIONS = `discountAllocations { allocatedAmountSet { ${MONEY_BAG} } discountApplication {
  __typename index allocationMethod targetSelection targetType
  value { __typename ... on MoneyV2 { amount currencyCode } ... on PricingPercentageValue { percentage } }
  ... on DiscountCodeApplication { code } ... on AutomaticDiscountApplication { title }
  ... on ManualDiscountApplication { title description } ... on ScriptDiscountApplication { title } } }`;

export function taxLines(value: unknown): Obj[] {
  return list(value).map(obj).filter((t): t is Obj => t !== null).map((t) => ({
    title: str(t.title),
    rate: num(t.rate),
    rate_percentage: num(t.ratePercentage),
    price: shopAmount(t.priceSet),
    price_set: moneySet(t.priceSet),
    channel_liable: bool(t.channelLiable),
    source: str(t.source),
  }));
}

export function discountAllocations(value: unknown): Obj[] {
  return list(value).map(obj).filter((a): a is Obj => a !== null).map((a) => ({
    amount: shopAmount(a.allocatedAmountSet),
    amount_set: moneySet(a.allocatedAmountSet),
    discount_application_index: int(obj(a.discountApplication)?.index),
  }));
}

const KIND: Record<string, string> = {
  DiscountCodeApplication: 'discount_code',
  AutomaticDiscountApplication: 'automatic',
  ManualDiscountApplication: 'manual',
  ScriptDiscountApplication: 'script',
};

function application(a: Obj): DiscountApplication {
  const value = obj(a.value) ?? {};
  const percent = value.percentage !== undefined;
  return {
    index: int(a.index),
    type: KIND[String(a.__typename)] ?? null,
    code: str(a.code),
    title: str(a.title),
    description: str(a.description),
    value: percent ? String(num(value.percentage)) : str(value.amount),
    value_type: percent ? 'percentage' : value.amount !== undefined ? 'fixed_amount' : null,
    currency_code: str(value.currencyCode),
    allocation_method: str(a.allocationMethod),
    target_selection: str(a.targetSelection),
    target_type: str(a.targetType),
  };
}

/** The distinct applications behind every allocation of the given owners (line items, shipping lines), by index. */
export function discountApplications(owners: Obj[]): DiscountApplication[] {
  const byIndex = new Map<number, DiscountApplication>();
  for (const owner of owners) {
    for (const allocation of list(owner.discountAllocations)) {
      const app = obj(obj(allocation)?.discountApplication);
      const index = int(app?.index);
      if (app && index !== null && !byIndex.has(index)) byIndex.set(index, application(app));
    }
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, app]) => app);
}
