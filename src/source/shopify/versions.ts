/**
 * What the source relies on per Admin API version. Versions are `YYYY-MM` strings, so string
 * comparison orders them.
 */

/** `bulkOperationRunQuery(groupObjects:)` exists from 2025-07 (default true until 2025-10, false from 2026-01). */
export function hasGroupObjects(version: string): boolean {
  return version >= '2025-07';
}

/** `bulkOperation(id:)` exists from 2026-01; before that operations are read through `node(id:)`. */
export function hasBulkOperationRoot(version: string): boolean {
  return version >= '2026-01';
}

/** Bulk user errors carry a `code` (OPERATION_IN_PROGRESS, INVALID, LIMIT_REACHED) from 2025-01. */
export function hasBulkUserErrorCode(version: string): boolean {
  return version >= '2025-01';
}

/** Shopify runs 5 bulk query operations at a time per app and shop from 2026-01, 1 before. */
export function bulkSlots(version: string): number {
  return version >= '2026-01' ? 5 : 1;
}

/**
 * Without `groupObjects: true`, a child is only guaranteed to come after its parent, not directly
 * below it. Before 2025-07 grouping was the only behaviour.
 */
export function resultIsGrouped(version: string, groupObjectsRequested: boolean): boolean {
  return version < '2025-07' || groupObjectsRequested;
}
