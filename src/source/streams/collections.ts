/** `collections`: custom and smart collections; smart ones carry their rules. */
import { defineStream } from './define.js';
import type { CollectionsRecord } from './generated.js';
import { bool, connection, count, dateTime, gidId, list, obj, rootArgs, str } from './transform.js';
import type { Obj } from './transform.js';

export const collections = defineStream({
  name: 'collections',
  primaryKey: [['id']],
  cursorField: 'updated_at',
  scopes: ['read_products'],
  extraction: {
    kind: 'bulk',
    // `ruleSet` is deprecated on 2026-07 in favour of `sources`, and still answers there; kept on every version.
    query: ({ filter }) => `{ ${connection('collections', rootArgs(filter, 'UPDATED_AT'), `id title handle descriptionHtml sortOrder
  templateSuffix updatedAt productsCount { count } ruleSet { appliedDisjunctively rules { column relation condition } }`)} }`,
    *toRecords(node, { shop }) {
      const ruleSet = obj(node.ruleSet);
      const record: CollectionsRecord = {
        id: gidId(node.id), admin_graphql_api_id: str(node.id), shop_url: shop,
        title: str(node.title),
        handle: str(node.handle),
        body_html: str(node.descriptionHtml),
        sort_order: str(node.sortOrder),
        template_suffix: str(node.templateSuffix),
        updated_at: dateTime(node.updatedAt),
        products_count: count(node.productsCount),
        collection_type: ruleSet ? 'smart' : 'custom',
        disjunctive: ruleSet ? bool(ruleSet.appliedDisjunctively) : null,
        rules: ruleSet
          ? list(ruleSet.rules).map(obj).filter((r): r is Obj => r !== null)
            .map((r) => ({ column: str(r.column), relation: str(r.relation), condition: str(r.condition) }))
          : null,
      };
      yield record;
    },
  },
});
