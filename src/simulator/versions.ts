/**
 * Admin API versions and the behaviour gated on them (reference §0, §1.1, §1.6, §1.8, §3.2).
 * Versions are `YYYY-MM` strings, so plain string comparison orders them.
 */

/** Versions the simulator serves; anything else falls forward to the oldest (reference §3.2). */
export const DEFAULT_SUPPORTED_VERSIONS: readonly string[] = [
  '2025-01',
  '2025-04',
  '2025-07',
  '2025-10',
  '2026-01',
  '2026-04',
  '2026-07',
];

/** `unstable` is served as the newest stable version. */
export function effectiveVersion(requested: string, supported: readonly string[] = DEFAULT_SUPPORTED_VERSIONS): string {
  const newest = supported[supported.length - 1] ?? '2026-07';
  if (requested === 'unstable') return newest;
  if (supported.includes(requested)) return requested;
  return supported[0] ?? newest;
}

/** `groupObjects` exists on bulkOperationRunQuery from 2025-07 (§0). */
export function hasGroupObjectsArgument(version: string): boolean {
  return version >= '2025-07';
}

/** Default of `groupObjects`: true on 2025-07..2025-10, false from 2026-01 (§1.1). */
export function groupObjectsDefault(version: string): boolean {
  return version < '2026-01';
}

/** Concurrent bulk query operations per app and shop: 1 before 2026-01, 5 from it (§1.8). */
export function bulkQuerySlots(version: string): number {
  return version >= '2026-01' ? 5 : 1;
}

/** `bulkOperation(id:)` and `bulkOperations(...)` query roots exist from 2026-01 (§1.6). */
export function hasBulkOperationReadRoots(version: string): boolean {
  return version >= '2026-01';
}

/** From 2026-04 (captured) bulk queries must select connections via `edges { node }` (§0, §1.5). */
export function bulkRequiresEdges(version: string): boolean {
  return version >= '2026-04';
}
