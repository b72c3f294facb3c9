/**
 * `check`: reach the shop, make sure the requested API version is the one served, and that the token
 * has scopes. Every failure is a FAILED status whose message says what to fix.
 */
import type { AirbyteConnectionStatus } from '../protocol/messages.js';
import { ConnectorError } from '../runtime/errors.js';
import type { ShopifyClient } from './shopify/client.js';
import { readShopAccess } from './scopes.js';

export async function checkConnection(client: ShopifyClient): Promise<AirbyteConnectionStatus> {
  let access;
  try {
    access = await readShopAccess(client);
  } catch (err) {
    if (!(err instanceof ConnectorError)) throw err;
    const reach = err.failureType === 'transient_error' ? `Could not reach Shopify at ${client.baseUrl}: ` : '';
    return { status: 'FAILED', message: `${reach}${err.message}` };
  }
  const served = client.servedVersion();
  if (served) {
    return {
      status: 'FAILED',
      message: `Shopify no longer supports API version ${client.apiVersion} (it answered with ${served} instead): set config.api_version to a supported version`,
    };
  }
  if (access.scopes.size === 0) {
    return {
      status: 'FAILED',
      message: 'The access token has no access scopes: give the app read scopes (for example read_orders, read_products, read_customers, read_inventory, read_locations) and reinstall it',
    };
  }
  return { status: 'SUCCEEDED' };
}
