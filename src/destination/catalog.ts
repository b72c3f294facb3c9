/** The configured catalog as the destination needs it: one target per stream, keyed by namespace and name. */
import type { ConfiguredAirbyteCatalog } from '../protocol/messages.js';
import { ConfigError } from '../runtime/errors.js';
import type { StreamKey } from './naming.js';

export interface StreamTarget {
  key: string;
  /** `namespace/name` or `name`, for messages and the `ab-stream` object tag. */
  label: string;
  descriptor: StreamKey;
  jsonSchema: Record<string, unknown>;
  mode: 'append' | 'overwrite';
  generationId: number | null;
  minimumGenerationId: number | null;
  syncId: number | null;
}

export function streamKey(name: string, namespace?: string | null): string {
  return `${namespace ?? ''}\u0000${name}`;
}

const nullableInt = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function catalogTargets(catalog: ConfiguredAirbyteCatalog): Map<string, StreamTarget> {
  const targets = new Map<string, StreamTarget>();
  catalog.streams.forEach((configured, i) => {
    const { name, namespace } = configured.stream;
    const mode = configured.destination_sync_mode;
    if (mode !== 'append' && mode !== 'overwrite') {
      throw new ConfigError(`catalog.streams[${i}] (${name}): destination_sync_mode "${mode}" is not supported; use "append" or "overwrite"`);
    }
    const key = streamKey(name, namespace);
    if (targets.has(key)) throw new ConfigError(`catalog.streams[${i}]: stream "${name}" appears twice`);
    targets.set(key, {
      key,
      label: namespace ? `${namespace}/${name}` : name,
      descriptor: namespace ? { name, namespace } : { name },
      jsonSchema: configured.stream.json_schema,
      mode,
      generationId: nullableInt(configured.generation_id),
      minimumGenerationId: nullableInt(configured.minimum_generation_id),
      syncId: nullableInt(configured.sync_id),
    });
  });
  return targets;
}

/** Finds a message's stream; a message without a namespace matches a catalog stream of that name alone. */
export function findTarget(targets: Map<string, StreamTarget>, name: string, namespace: string | null | undefined): StreamTarget | undefined {
  const exact = targets.get(streamKey(name, namespace));
  if (exact || namespace) return exact;
  const byName = [...targets.values()].filter((t) => t.descriptor.name === name);
  return byName.length === 1 ? byName[0] : undefined;
}
