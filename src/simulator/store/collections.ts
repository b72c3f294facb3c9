/** Custom collections (hand-picked products) and smart collections (a rule set). */
import { between, hash, pick } from '../rng.js';
import { isoSeconds } from '../clock.js';
import { TAGS } from './data.js';
import { BASE, resourceGid } from './ids.js';
import { STREAM } from './streams.js';
import type { Rec, RecordSource } from './types.js';

const S = STREAM.collections;

export function collectionRecord(src: RecordSource, index: number): Rec {
  const { seed } = src;
  const smart = index % 2 === 1;
  const products = src.count('products');
  const size = Math.min(products, between(seed, 0, 12, S, index, 1));
  const tag = pick(TAGS, seed, S, index, 2);
  const title = smart ? `Tagged “${tag}” ${index}` : `Staff picks ${index} / Coups de cœur`;
  const members = () => {
    const picked = new Set<number>();
    for (let k = 0; k < size; k += 1) picked.add(hash(seed, S, index, 10 + k) % products);
    return [...picked].map((product) => src.ref('products', product)).filter((r): r is Rec => r !== null);
  };
  return {
    __typename: 'Collection',
    id: resourceGid('collections', index),
    legacyResourceId: String(BASE.collections + index),
    title,
    handle: `collection-${index}`,
    description: `Collection ${index}`,
    descriptionHtml: `<p>Collection ${index}</p>`,
    sortOrder: smart ? 'BEST_SELLING' : 'MANUAL',
    templateSuffix: null,
    updatedAt: isoSeconds(src.updatedAt('collections', index)),
    image: null,
    seo: { __typename: 'SEO', title: null, description: null },
    ruleSet: smart ? {
      __typename: 'CollectionRuleSet',
      appliedDisjunctively: false,
      rules: [
        { __typename: 'CollectionRule', column: 'TAG', relation: 'EQUALS', condition: tag, conditionObject: null },
        { __typename: 'CollectionRule', column: 'VARIANT_PRICE', relation: 'GREATER_THAN', condition: '10.00', conditionObject: null },
      ],
    } : null,
    productsCount: () => ({ __typename: 'Count', count: members().length, precision: 'EXACT' }),
    products: members,
    metafields: () => [],
  };
}
