/** `metafield_products`: the metafields of products updated in the window, one record per metafield. */
import { defineStream } from './define.js';
import type { MetafieldProductsRecord } from './generated.js';
import { children, connection, dateTime, gidId, obj, rootArgs, str } from './transform.js';

/** 2026-04 deprecates `Metafield.description`; the definition's description replaces it. */
function description(apiVersion: string): string {
  return apiVersion >= '2026-04' ? 'definition { description }' : 'description';
}

export const metafieldProducts = defineStream({
  name: 'metafield_products',
  primaryKey: [['id']],
  cursorField: 'updated_at',
  scopes: ['read_products'],
  extraction: {
    kind: 'bulk',
    query: ({ apiVersion, filter }) => `{ ${connection('products', rootArgs(filter, 'UPDATED_AT'), `id ${connection('metafields', '',
      `id namespace key value type ${description(apiVersion)} createdAt updatedAt`)}`)} }`,
    *toRecords(node, { shop }) {
      const ownerId = gidId(node.id);
      for (const metafield of children(node, 'Metafield')) {
        const record: MetafieldProductsRecord = {
          id: gidId(metafield.id), admin_graphql_api_id: str(metafield.id), shop_url: shop,
          namespace: str(metafield.namespace),
          key: str(metafield.key),
          value: str(metafield.value),
          type: str(metafield.type),
          description: str(metafield.description ?? obj(metafield.definition)?.description),
          owner_id: ownerId,
          owner_resource: 'product',
          created_at: dateTime(metafield.createdAt),
          updated_at: dateTime(metafield.updatedAt),
        };
        yield record;
      }
    },
  },
});
