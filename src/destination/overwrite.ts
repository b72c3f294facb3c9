/**
 * Overwrite with generations (as Airbyte's newer object-storage destinations do): objects carry their
 * generation in custom metadata, and after a stream completed successfully, objects of the same stream
 * whose generation is below the catalog's `minimum_generation_id` are deleted, under the stream's prefix
 * only. A failed sync deletes nothing; null generation ids mean no deletes at all.
 */
import type { Logger } from '../runtime/logger.js';
import type { StreamTarget } from './catalog.js';
import { deleteObject, listObjects, type GcsOps } from './gcs/objects.js';

export function wantsGenerationCleanup(target: StreamTarget): boolean {
  return target.generationId !== null && target.minimumGenerationId !== null && target.minimumGenerationId > 0;
}

/** Deletes older generations of one stream; returns the names deleted. */
export async function deleteOlderGenerations(ops: GcsOps, target: StreamTarget, streamPrefix: string, logger: Logger): Promise<string[]> {
  const minimum = target.minimumGenerationId;
  if (!wantsGenerationCleanup(target) || minimum === null) return [];
  const objects = await listObjects(ops, streamPrefix);
  const stale = objects.filter((o) => {
    const generation = Number(o.metadata['ab-generation-id']);
    // Only objects this connector tagged for this very stream: files added by hand are never touched.
    return o.metadata['ab-stream'] === target.label && o.metadata['ab-generation-id'] !== undefined && Number.isFinite(generation) && generation < minimum;
  });
  for (const o of stale) await deleteObject(ops, o.name);
  if (stale.length > 0) logger.info(`${target.label}: deleted ${stale.length} object(s) of generations below ${minimum} under gs://${ops.bucket.name}/${streamPrefix}`);
  return stale.map((o) => o.name);
}
