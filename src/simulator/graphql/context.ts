import type { GraphQLSchema } from 'graphql';
import type { Store } from '../store/store.js';
import type { BulkOperations } from '../bulk/operations.js';
import type { SearchWarning } from '../search.js';
import type { JobFate } from '../bulk/types.js';

/** What a bulk job feeds the root connection resolver: the store indexes of this batch. */
export interface BulkBatch {
  indexes: number[];
}

/** Per-request execution context given to every resolver. */
export interface ExecContext {
  schema: GraphQLSchema;
  /** The effective API version (after falling forward). */
  version: string;
  store: Store;
  operations: BulkOperations;
  scopes: ReadonlySet<string>;
  token: string;
  shop: ShopInfo;
  /** Set while a bulk job executes: connections return everything, the root returns the batch. */
  bulk?: BulkBatch;
  /** `extensions.search` entries collected while resolving. */
  searchNotes: Array<{ path: Array<string | number>; query: string; parsed: unknown; warnings: SearchWarning[] }>;
  /** How the job created for this bulk query should end (fault injection); called only when a job is created. */
  takeJobFate: (query: string) => JobFate;
}

export interface ShopInfo {
  name: string;
  domain: string;
  currencyCode: string;
}
