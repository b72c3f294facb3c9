/**
 * Mapping helpers shared by the stream files: bulk nodes are `unknown` at the boundary and these
 * narrow them into record fields the way Airbyte's source-shopify shapes them (numeric ids next to
 * the gid, money as numbers, RFC 3339 dates with `+00:00`, comma-joined tags). Streams name every
 * snake_case field explicitly, so a record never carries a field its schema lacks.
 */
import type { BulkNode } from './define.js';

export type Obj = Record<string, unknown>;

export function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function obj(value: unknown): Obj | null {
  return isObj(value) ? value : null;
}

export function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

export function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/** A finite number, also from a numeric string (Decimal, UnsignedInt64 and Float arrive either way). */
export function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

export function int(value: unknown): number | null {
  const n = num(value);
  return n === null ? null : Math.trunc(n);
}

export function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function strings(value: unknown): string[] {
  return list(value).filter((v): v is string => typeof v === 'string');
}

/** Shopify's tag list as Airbyte writes it (`"a, b"`), null when there are none. */
export function tags(value: unknown): string | null {
  const all = strings(value);
  return all.length === 0 ? null : all.join(', ');
}

const GID = /^gid:\/\/shopify\/([A-Za-z0-9]+)\/(\d+)/;

/** The numeric id of a gid (`gid://shopify/InventoryLevel/12?inventory_item_id=3` → 12); null otherwise. */
export function gidId(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const digits = GID.exec(value)?.[2];
  return digits === undefined ? null : Number(digits);
}

/** The type segment of a gid (`gid://shopify/Order/1` → `Order`). */
export function gidType(value: unknown): string | null {
  return typeof value === 'string' ? (GID.exec(value)?.[1] ?? null) : null;
}

/** The numeric id of `value.id` where `value` is a `{ id }` reference. */
export function refId(value: unknown): number | null {
  return gidId(obj(value)?.id);
}

/** An RFC 3339 timestamp as Airbyte writes bulk cursors: UTC `Z` becomes `+00:00`; other text is kept. */
export function dateTime(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return null;
  return value.endsWith('Z') ? `${value.slice(0, -1)}+00:00` : value;
}

export type Money = {
  amount: number | null;
  currency_code: string | null;
};

/** A MoneyV2 (`{amount: "12.50", currencyCode}`) as `{amount: 12.5, currency_code}`. */
export function money(value: unknown): Money | null {
  const m = obj(value);
  return m ? { amount: num(m.amount), currency_code: str(m.currencyCode) } : null;
}

export type MoneySet = {
  shop_money: Money | null;
  presentment_money: Money | null;
};

/** A MoneyBag as Airbyte's `*_set` objects: shop and presentment money, amounts as numbers. */
export function moneySet(value: unknown): MoneySet | null {
  const bag = obj(value);
  return bag ? { shop_money: money(bag.shopMoney), presentment_money: money(bag.presentmentMoney) } : null;
}

/** The shop-currency amount of a MoneyBag (the REST-style `total_price` next to `total_price_set`). */
export function shopAmount(value: unknown): number | null {
  return num(obj(obj(value)?.shopMoney)?.amount);
}

/** GraphQL selection of a MoneyBag. */
export const MONEY_BAG = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }';

/** GraphQL selection of a MailingAddress (id included: it is a Node). */
export const MAILING_ADDRESS = 'id firstName lastName name company address1 address2 city province provinceCode country countryCodeV2 zip phone latitude longitude';

export type Address = {
  id: number | null;
  first_name: string | null;
  last_name: string | null;
  name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  province_code: string | null;
  country: string | null;
  country_code: string | null;
  zip: string | null;
  phone: string | null;
  latitude: number | null;
  longitude: number | null;
};

/** A MailingAddress in Airbyte's address shape; null stays null. */
export function address(value: unknown): Address | null {
  const a = obj(value);
  if (!a) return null;
  return {
    id: gidId(a.id),
    first_name: str(a.firstName),
    last_name: str(a.lastName),
    name: str(a.name),
    company: str(a.company),
    address1: str(a.address1),
    address2: str(a.address2),
    city: str(a.city),
    province: str(a.province),
    province_code: str(a.provinceCode),
    country: str(a.country),
    country_code: str(a.countryCodeV2),
    zip: str(a.zip),
    phone: str(a.phone),
    latitude: num(a.latitude),
    longitude: num(a.longitude),
  };
}

/** `id` (numeric) and `admin_graphql_api_id` (the gid) of a node. */
export function ids(node: Obj): { id: number | null; admin_graphql_api_id: string | null } {
  return { id: gidId(node.id), admin_graphql_api_id: str(node.id) };
}

/** `id`, `admin_graphql_api_id` and `shop_url`, which every record carries. */
export function identity(node: Obj, shop: string): { id: number | null; admin_graphql_api_id: string | null; shop_url: string } {
  return { id: gidId(node.id), admin_graphql_api_id: str(node.id), shop_url: shop };
}

/** The reassembled children of one type (`LineItem`, `ProductVariant`, …), in file order. */
export function children(node: BulkNode, type: string): BulkNode[] {
  return node.__children?.[type] ?? [];
}

/** The `count` of a `Count` object (`variantsCount { count }`), or null. */
export function count(value: unknown): number | null {
  return int(obj(value)?.count);
}

/** A GraphQL string literal (JSON escaping is valid GraphQL string escaping). */
export function gqlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Arguments of a root connection: the slice's search filter and, where the connection has one, the
 * `UPDATED_AT` sort key (so a window's records come oldest first). Empty when there is neither.
 */
export function rootArgs(filter: string | undefined, sortKey?: string, extra: string[] = []): string {
  const args = [...extra];
  if (filter !== undefined) args.push(`query: ${gqlString(filter)}`);
  if (sortKey !== undefined) args.push(`sortKey: ${sortKey}`);
  return args.length === 0 ? '' : `(${args.join(', ')})`;
}

/** `name(args) { edges { node { body } } }`: the only connection form bulk queries accept on every version. */
export function connection(name: string, args: string, body: string): string {
  return `${name}${args} { edges { node { ${body} } } }`;
}
