import type { ResourceType } from './ids.js';

/** A generated record: GraphQL field names to values; functions are resolved with the field's arguments. */
export type Rec = Record<string, unknown>;

/** A lazily produced child list; the GraphQL layer wraps it into a connection when the field is one. */
export type ChildList = (args: Record<string, unknown>) => Rec[];

/** What generators may ask of the store to reference other records. */
export interface RecordSource {
  readonly seed: number;
  readonly shopCurrency: string;
  count(type: ResourceType): number;
  record(type: ResourceType, index: number): Rec | null;
  /** A cheap reference (`__typename`, `id`) that loads the full record when another field is read. */
  ref(type: ResourceType, index: number): Rec | null;
  createdAt(type: ResourceType, index: number): number;
  updatedAt(type: ResourceType, index: number): number;
  variantCount(productIndex: number): number;
  isStocked(itemIndex: number, locationIndex: number): boolean;
}
