/**
 * What a read is given besides the config, checked before any request: the configured catalog (at
 * least one stream, each once, with the source-defined cursor) and the `--state` file, checked strictly: every entry must be a state this source can
 * act on, and anything else is a ConfigError naming the entry, because silently ignoring a state
 * means silently re-reading (or skipping) data.
 *
 * Accepted shapes: Airbyte's list of per-stream STATE messages (`[{type: "STREAM", stream: …}]`), one
 * such message, the same wrapped as protocol messages (`{type: "STATE", state: …}`, as a destination
 * echoes them), and, for users migrating from an old Airbyte connector, the LEGACY forms: a
 * `{type: "LEGACY", data: {stream: blob}}` message or a plain `{stream: blob}` dictionary. Legacy
 * state is migrated with a WARN: it is read per stream, and every STATE this source emits is STREAM.
 * GLOBAL state is rejected (this source keeps per-stream state).
 */
import type { ConfiguredAirbyteCatalog } from '../protocol/messages.js';
import type { Logger } from '../runtime/logger.js';
import { ConfigError } from '../runtime/errors.js';
import { cursorFromState } from './bulk/state.js';
import type { StreamDefinition } from './streams/define.js';

/** Catalog problems no stream could run with: nothing selected, a stream twice, a cursor we do not define. */
export function checkCatalog(catalog: ConfiguredAirbyteCatalog, resolve: (name: string) => StreamDefinition): void {
  if (catalog.streams.length === 0) throw new ConfigError('The catalog selects no streams: catalog.streams is empty');
  const seen = new Set<string>();
  catalog.streams.forEach((s, i) => {
    const def = resolve(s.stream.name);
    if (seen.has(def.name)) throw new ConfigError(`catalog.streams[${i}]: stream "${def.name}" appears twice`);
    seen.add(def.name);
    const cursor = s.cursor_field;
    if (s.sync_mode === 'incremental' && def.cursorField && cursor && cursor.length > 0 && (cursor.length !== 1 || cursor[0] !== def.cursorField)) {
      throw new ConfigError(
        `catalog.streams[${i}].cursor_field is ${JSON.stringify(cursor)}, but stream ${def.name} has the source-defined cursor "${def.cursorField}": set cursor_field to ["${def.cursorField}"] or leave it out`,
      );
    }
  });
}

/**
 * A saved cursor later than `limit` (Shopify's and our clock, plus a day of skew) reads nothing until
 * then. That is not an error (the acceptance tests require 0 records and a STATE for such a state),
 * but it is worth a warning: returns its text, or undefined.
 */
export function futureCursorWarning(def: StreamDefinition, blob: Record<string, unknown> | undefined, limit: number): string | undefined {
  if (!def.cursorField) return undefined;
  const cursor = cursorFromState(def.name, def.cursorField, blob);
  if (cursor === undefined || cursor <= limit) return undefined;
  return `The state of stream ${def.name} has ${def.cursorField} = ${JSON.stringify(blob?.[def.cursorField])}, which is in the future: no record of this stream is read until then (remove the stream's state to read from config.start_date)`;
}

type Blob = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function legacyEntries(data: Record<string, unknown>, path: string, out: Map<string, Blob>): void {
  for (const [name, blob] of Object.entries(data)) {
    if (blob === null) continue;
    if (!isObject(blob)) throw new ConfigError(`${path}.${name} must be an object like {"updated_at": "…"}, got ${JSON.stringify(blob).slice(0, 60)}`);
    out.set(name, blob);
  }
}

/** Stream name → stream_state blob from the input state. */
export function parseInputState(state: unknown, logger?: Pick<Logger, 'warn'>): Map<string, Blob> {
  const out = new Map<string, Blob>();
  if (state === undefined || state === null) return out;
  if (!isObject(state) && !Array.isArray(state)) throw new ConfigError('The state file must be a list of STATE messages or an object keyed by stream name');
  let legacy = false;
  if (isObject(state) && !('type' in state)) {
    legacyEntries(state, 'state', out);
    legacy = true;
  } else {
    const entries: unknown[] = Array.isArray(state) ? state : [state];
    for (const [i, raw] of entries.entries()) {
      const at = Array.isArray(state) ? `state[${i}]` : 'state';
      // A protocol message wrapping the state (what a destination echoes).
      const entry = isObject(raw) && raw.type === 'STATE' && isObject(raw.state) ? raw.state : raw;
      if (!isObject(entry)) throw new ConfigError(`${at} is not a STATE message (expected an object with type "STREAM")`);
      const type = entry.type;
      if (type === 'STREAM') {
        const stream = isObject(entry.stream) ? entry.stream : undefined;
        const name = isObject(stream?.stream_descriptor) ? stream.stream_descriptor.name : undefined;
        if (typeof name !== 'string' || name === '') throw new ConfigError(`${at}.stream.stream_descriptor.name is missing`);
        const blob = stream?.stream_state;
        if (blob === undefined || blob === null) continue;
        if (!isObject(blob)) throw new ConfigError(`${at}.stream.stream_state of stream ${name} must be an object like {"updated_at": "…"}, got ${JSON.stringify(blob).slice(0, 60)}`);
        out.set(name, blob);
      } else if ((type === 'LEGACY' || type === undefined) && isObject(entry.data)) {
        legacyEntries(entry.data, `${at}.data`, out);
        legacy = true;
      } else if (type === 'GLOBAL') {
        throw new ConfigError(`${at} is a GLOBAL state; this source keeps per-stream STREAM state`);
      } else {
        throw new ConfigError(`${at}.type is ${JSON.stringify(type ?? null).slice(0, 40)}; expected "STREAM" (per-stream state)`);
      }
    }
  }
  if (legacy) {
    logger?.warn(
      `The state is in Airbyte's legacy per-stream dictionary form (${[...out.keys()].join(', ') || 'no streams'}); it is migrated: read per stream, and every STATE this sync emits is a per-stream STREAM state`,
    );
  }
  return out;
}
