/** `products`: products with options, variants (nested connection) and media (nested connection). */
import { defineStream } from './define.js';
import type { ProductsRecord } from './generated.js';
import { children, connection, count, dateTime, gidId, int, list, num, obj, rootArgs, str, strings, tags } from './transform.js';
import type { BulkNode } from './define.js';
import type { Obj } from './transform.js';

/** Media children arrive under their own gid types. */
const MEDIA_TYPES = ['MediaImage', 'Video', 'ExternalVideo', 'Model3d'];

const VARIANT = 'id title sku price compareAtPrice position inventoryQuantity createdAt updatedAt';
const MEDIA = 'id alt mediaContentType status ... on MediaImage { createdAt updatedAt image { url width height } }';

function media(node: BulkNode): BulkNode[] {
  return MEDIA_TYPES.flatMap((type) => children(node, type));
}

export const products = defineStream({
  name: 'products',
  primaryKey: [['id']],
  cursorField: 'updated_at',
  scopes: ['read_products'],
  extraction: {
    kind: 'bulk',
    query: ({ filter }) => `{ ${connection('products', rootArgs(filter, 'UPDATED_AT'), `id title descriptionHtml vendor productType handle
  status tags templateSuffix createdAt updatedAt publishedAt options { id name position values } variantsCount { count }
  ${connection('variants', '', VARIANT)} ${connection('media', '', MEDIA)}`)} }`,
    expectedChildren(node): Record<string, number> {
      const variants = count(node.variantsCount);
      return variants === null ? {} : { ProductVariant: variants };
    },
    *toRecords(node, { shop }) {
      const productId = gidId(node.id);
      const all = media(node);
      const record: ProductsRecord = {
        id: gidId(node.id), admin_graphql_api_id: str(node.id), shop_url: shop,
        title: str(node.title), body_html: str(node.descriptionHtml), vendor: str(node.vendor),
        product_type: str(node.productType), handle: str(node.handle), status: str(node.status), tags: tags(node.tags),
        template_suffix: str(node.templateSuffix), created_at: dateTime(node.createdAt), updated_at: dateTime(node.updatedAt),
        published_at: dateTime(node.publishedAt),
        options: list(node.options).map(obj).filter((o): o is Obj => o !== null).map((o) => ({
          id: gidId(o.id), product_id: productId, name: str(o.name), position: int(o.position), values: strings(o.values),
        })),
        variants: children(node, 'ProductVariant').map((v) => ({
          id: gidId(v.id), admin_graphql_api_id: str(v.id), product_id: productId, title: str(v.title), sku: str(v.sku), price: num(v.price),
          compare_at_price: num(v.compareAtPrice), position: int(v.position), inventory_quantity: int(v.inventoryQuantity),
          created_at: dateTime(v.createdAt), updated_at: dateTime(v.updatedAt),
        })),
        images: all.filter((m) => m.mediaContentType === 'IMAGE').map((m, i) => {
          const image = obj(m.image);
          return {
            id: gidId(m.id), admin_graphql_api_id: str(m.id), product_id: productId, alt: str(m.alt), src: str(image?.url), width: int(image?.width),
            height: int(image?.height), position: i + 1, created_at: dateTime(m.createdAt), updated_at: dateTime(m.updatedAt),
          };
        }),
        media_ids: all.map((m) => gidId(m.id)),
      };
      yield record;
    },
  },
});
