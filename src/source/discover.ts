/** `discover`: a catalog entry for every stream the token may read; the others are named in a WARN log. */
import type { AirbyteCatalog, AirbyteStream } from '../protocol/messages.js';
import type { Logger } from '../runtime/logger.js';
import type { ShopifyClient } from './shopify/client.js';
import { missingScopes, readShopAccess } from './scopes.js';
import type { StreamDefinition } from './streams/define.js';

export function catalogEntry(stream: StreamDefinition): AirbyteStream {
  const cursor = stream.cursorField;
  return {
    name: stream.name,
    json_schema: stream.schema,
    supported_sync_modes: cursor ? ['full_refresh', 'incremental'] : ['full_refresh'],
    ...(cursor ? { source_defined_cursor: true, default_cursor_field: [cursor] } : {}),
    source_defined_primary_key: stream.primaryKey,
    is_resumable: cursor !== undefined && stream.extraction.kind === 'bulk',
  };
}

export async function discoverCatalog(client: ShopifyClient, streams: readonly StreamDefinition[], logger: Logger): Promise<AirbyteCatalog> {
  const { scopes } = await readShopAccess(client);
  const entries: AirbyteStream[] = [];
  for (const stream of streams) {
    const missing = missingScopes(stream, scopes);
    if (missing.length > 0) {
      logger.warn(`Stream ${stream.name} is left out of the catalog: the access token lacks the scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
      continue;
    }
    entries.push(catalogEntry(stream));
  }
  return { streams: entries };
}
