/** The token's access scopes, and which streams they allow. */
import type { ShopifyClient } from './shopify/client.js';
import type { StreamDefinition } from './streams/define.js';

export const SCOPES_QUERY = 'query connectionCheck { shop { name } currentAppInstallation { accessScopes { handle } } }';

export interface ShopAccess {
  shopName: string | undefined;
  scopes: Set<string>;
}

export async function readShopAccess(client: ShopifyClient): Promise<ShopAccess> {
  const { data } = await client.graphql<{ shop?: { name?: string } | null; currentAppInstallation?: { accessScopes?: Array<{ handle?: string }> } | null }>(
    SCOPES_QUERY,
    undefined,
    { operation: 'shop and access scope check', cost: 5 },
  );
  const handles = (data.currentAppInstallation?.accessScopes ?? []).map((s) => s.handle).filter((h): h is string => typeof h === 'string');
  return { shopName: data.shop?.name ?? undefined, scopes: new Set(handles) };
}

/** A `write_x` scope includes `read_x`. */
function granted(scopes: Set<string>, needed: string): boolean {
  return scopes.has(needed) || (needed.startsWith('read_') && scopes.has(`write_${needed.slice(5)}`));
}

export function missingScopes(stream: StreamDefinition, scopes: Set<string>): string[] {
  return stream.scopes.filter((s) => !granted(scopes, s));
}
