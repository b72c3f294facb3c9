/** `shop`: the one Shop object, read with a plain GraphQL query (full refresh). */
import { defineStream } from './define.js';
import type { ShopRecord } from './generated.js';
import { bool, dateTime, gidId, num, obj, str, strings } from './transform.js';

/** 2026-04 deprecates `billingAddress` and `plan.displayName` for `shopAddress` and `plan.publicDisplayName` (absent on 2025-01). */
function renamed(apiVersion: string): { address: string; plan: string } {
  return apiVersion >= '2026-04'
    ? { address: 'shopAddress', plan: 'publicDisplayName' }
    : { address: 'billingAddress', plan: 'displayName' };
}

export const shop = defineStream({
  name: 'shop',
  primaryKey: [['id']],
  cursorField: undefined,
  scopes: [],
  extraction: {
    kind: 'graphql',
    query({ apiVersion }) {
      const { address, plan } = renamed(apiVersion);
      return `query ShopRecord { shop { id name email contactEmail currencyCode enabledPresentmentCurrencies myshopifyDomain
  primaryDomain { host } ianaTimezone timezoneAbbreviation weightUnit taxesIncluded taxShipping setupRequired
  checkoutApiSupported createdAt updatedAt shopOwnerName
  currencyFormats { moneyFormat moneyInEmailsFormat moneyWithCurrencyFormat moneyWithCurrencyInEmailsFormat }
  plan { ${plan} }
  address: ${address} { address1 address2 city country countryCodeV2 province provinceCode zip phone latitude longitude } } }`;
    },
    *toRecords(data, { shop: shopUrl }) {
      const s = obj(data.shop);
      if (!s) return;
      const formats = obj(s.currencyFormats) ?? {};
      const plan = obj(s.plan) ?? {};
      const address = obj(s.address) ?? {};
      const record: ShopRecord = {
        id: gidId(s.id), admin_graphql_api_id: str(s.id), shop_url: shopUrl,
        name: str(s.name),
        email: str(s.email),
        customer_email: str(s.contactEmail),
        currency: str(s.currencyCode),
        enabled_presentment_currencies: strings(s.enabledPresentmentCurrencies),
        myshopify_domain: str(s.myshopifyDomain),
        domain: str(obj(s.primaryDomain)?.host),
        iana_timezone: str(s.ianaTimezone),
        timezone_abbreviation: str(s.timezoneAbbreviation),
        weight_unit: str(s.weightUnit),
        taxes_included: bool(s.taxesIncluded),
        tax_shipping: bool(s.taxShipping),
        setup_required: bool(s.setupRequired),
        checkout_api_supported: bool(s.checkoutApiSupported),
        created_at: dateTime(s.createdAt),
        updated_at: dateTime(s.updatedAt),
        shop_owner: str(s.shopOwnerName),
        money_format: str(formats.moneyFormat),
        money_in_emails_format: str(formats.moneyInEmailsFormat),
        money_with_currency_format: str(formats.moneyWithCurrencyFormat),
        money_with_currency_in_emails_format: str(formats.moneyWithCurrencyInEmailsFormat),
        plan_display_name: str(plan.publicDisplayName ?? plan.displayName),
        address1: str(address.address1),
        address2: str(address.address2),
        city: str(address.city),
        country_name: str(address.country),
        country_code: str(address.countryCodeV2),
        province: str(address.province),
        province_code: str(address.provinceCode),
        zip: str(address.zip),
        phone: str(address.phone),
        latitude: num(address.latitude),
        longitude: num(address.longitude),
      };
      yield record;
    },
  },
});
