/** Money values: amounts kept in cents of the shop currency, shown in shop and presentment currency. */
import type { Rec } from './types.js';

export interface Currency {
  shop: string;
  presentment: string;
  rate: number;
}

/** Formats integer cents as Shopify's Decimal string (`12.34`; `1234.0` for currencies without minor unit). */
export function decimal(cents: number, currency: string): string {
  if (currency === 'JPY') return `${Math.round(cents / 100)}.0`;
  const whole = Math.round(cents);
  const abs = whole < 0 ? -whole : whole;
  const minor = abs % 100;
  return `${whole < 0 ? '-' : ''}${(abs - minor) / 100}.${minor < 10 ? '0' : ''}${minor}`;
}

export function moneyV2(cents: number, currencyCode: string): Rec {
  return { __typename: 'MoneyV2', amount: decimal(cents, currencyCode), currencyCode };
}

/** A MoneyBag: `shopMoney` in the shop currency, `presentmentMoney` converted at a fixed rate. */
export function moneyBag(cents: number, currency: Currency): Rec {
  return {
    __typename: 'MoneyBag',
    shopMoney: moneyV2(cents, currency.shop),
    presentmentMoney: moneyV2(Math.round(cents * currency.rate), currency.presentment),
  };
}
