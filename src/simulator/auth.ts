/**
 * Access tokens and scopes. The default token has every scope; tests can issue tokens with fewer, and
 * the client-credentials grant issues tokens that expire on the simulator's clock (reference §3.2).
 */
import { randomBytes } from 'node:crypto';
import type { ResourceType } from './store/ids.js';

export const ALL_SCOPES: readonly string[] = [
  'read_all_orders', 'read_orders', 'read_products', 'read_customers', 'read_inventory', 'read_locations',
  'read_fulfillments', 'read_assigned_fulfillment_orders', 'read_merchant_managed_fulfillment_orders',
  'read_third_party_fulfillment_orders', 'read_shipping', 'read_discounts', 'read_price_rules',
  'read_publications', 'read_product_listings', 'read_content', 'read_online_store_pages',
  'read_marketing_events', 'read_draft_orders', 'read_returns', 'read_shopify_payments_payouts',
  'read_shopify_payments_disputes', 'read_markets', 'read_metaobjects', 'read_files', 'read_translations',
];

/** Scope needed to read each modelled resource (a matching `write_` scope also grants it). */
export const RESOURCE_SCOPE: Record<ResourceType, string> = {
  orders: 'read_orders',
  products: 'read_products',
  productVariants: 'read_products',
  collections: 'read_products',
  customers: 'read_customers',
  inventoryItems: 'read_inventory',
  inventoryLevels: 'read_inventory',
  locations: 'read_locations',
};

export function hasScope(scopes: ReadonlySet<string>, needed: string): boolean {
  if (scopes.has(needed) || scopes.has(needed.replace(/^read_/, 'write_'))) return true;
  return needed === 'read_locations' && scopes.has('read_inventory');
}

export interface TokenInfo {
  scopes: Set<string>;
  /** Simulator-clock expiry (ms); undefined = never. */
  expiresAt?: number;
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export class Tokens {
  private tokens = new Map<string, TokenInfo>();

  constructor(defaultToken: string, readonly client: ClientCredentials) {
    this.tokens.set(defaultToken, { scopes: new Set(ALL_SCOPES) });
  }

  set(token: string, scopes: readonly string[], expiresAt?: number): void {
    this.tokens.set(token, { scopes: new Set(scopes), ...(expiresAt === undefined ? {} : { expiresAt }) });
  }

  setScopes(token: string, scopes: readonly string[]): void {
    const info = this.tokens.get(token);
    if (info) info.scopes = new Set(scopes);
    else this.set(token, scopes);
  }

  /** The token's info if it is known and not expired at `now`. */
  lookup(token: string | undefined, now: number): TokenInfo | undefined {
    if (!token) return undefined;
    const info = this.tokens.get(token);
    if (!info || (info.expiresAt !== undefined && now >= info.expiresAt)) return undefined;
    return info;
  }

  /** Client-credentials grant: a fresh `shpat_` token valid for 86,399 s. */
  issue(now: number): { access_token: string; scope: string; expires_in: number } {
    const token = `shpat_${randomBytes(16).toString('hex')}`;
    this.set(token, ALL_SCOPES, now + 86_399_000);
    return { access_token: token, scope: ALL_SCOPES.join(','), expires_in: 86_399 };
  }
}
