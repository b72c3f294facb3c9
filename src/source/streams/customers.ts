/** `customers`: customers with their addresses (nested connection) and default address. */
import { defineStream } from './define.js';
import type { CustomersRecord } from './generated.js';
import { MAILING_ADDRESS, address, bool, children, connection, dateTime, gidId, int, money, obj, rootArgs, str, tags } from './transform.js';

/** 2026-04 deprecates `email`/`phone`/`emailMarketingConsent` for `defaultEmailAddress`/`defaultPhoneNumber`. */
function contact(apiVersion: string): string {
  return apiVersion >= '2026-04'
    ? 'defaultEmailAddress { emailAddress marketingState } defaultPhoneNumber { phoneNumber }'
    : 'email phone emailMarketingConsent { marketingState }';
}

export const customers = defineStream({
  name: 'customers',
  primaryKey: [['id']],
  cursorField: 'updated_at',
  scopes: ['read_customers'],
  extraction: {
    kind: 'bulk',
    query: ({ apiVersion, filter }) => `{ ${connection('customers', rootArgs(filter, 'UPDATED_AT'), `id firstName lastName ${contact(apiVersion)}
  note tags state verifiedEmail taxExempt locale createdAt updatedAt numberOfOrders amountSpent { amount currencyCode }
  defaultAddress { ${MAILING_ADDRESS} } ${connection('addressesV2', '', MAILING_ADDRESS)}`)} }`,
    *toRecords(node, { shop }) {
      const customerId = gidId(node.id);
      const email = obj(node.defaultEmailAddress);
      const marketing = str(email?.marketingState ?? obj(node.emailMarketingConsent)?.marketingState);
      const defaultId = gidId(obj(node.defaultAddress)?.id);
      const withOwner = (value: unknown) => {
        const mapped = address(value);
        return mapped && { ...mapped, customer_id: customerId, default: defaultId !== null && mapped.id === defaultId };
      };
      const spent = money(node.amountSpent);
      const record: CustomersRecord = {
        id: gidId(node.id), admin_graphql_api_id: str(node.id), shop_url: shop,
        email: str(email?.emailAddress ?? node.email),
        accepts_marketing: marketing === null ? null : marketing === 'SUBSCRIBED',
        first_name: str(node.firstName),
        last_name: str(node.lastName),
        phone: str(obj(node.defaultPhoneNumber)?.phoneNumber ?? node.phone),
        note: str(node.note),
        tags: tags(node.tags),
        state: str(node.state),
        verified_email: bool(node.verifiedEmail),
        tax_exempt: bool(node.taxExempt),
        locale: str(node.locale),
        orders_count: int(node.numberOfOrders),
        total_spent: spent?.amount ?? null,
        currency: spent?.currency_code ?? null,
        created_at: dateTime(node.createdAt),
        updated_at: dateTime(node.updatedAt),
        default_address: withOwner(node.defaultAddress),
        addresses: children(node, 'MailingAddress').map(withOwner),
      };
      yield record;
    },
  },
});
