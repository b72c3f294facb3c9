/**
 * The shape a RECORD or STATE on stdin must have before the destination acts on it. The stdin reader
 * only checks that a line is a message of a known type; a RECORD without data or a STATE of unknown
 * shape would otherwise be written as a row without data, or echoed as an invalid STATE.
 */
import type { AirbyteMessage } from '../protocol/messages.js';
import { RawRecordMessage } from '../protocol/record-line.js';
import { ConfigError } from '../runtime/errors.js';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkInputMessage(line: number, message: AirbyteMessage): void {
  if (message.type === 'RECORD') {
    const record: unknown = message.record;
    if (!isObject(record) || typeof record.stream !== 'string' || record.stream === '') throw new ConfigError(`line ${line}: RECORD without record.stream`);
    const stream = JSON.stringify(record.stream).slice(0, 120);
    // A record read on the fast path has data proven to be an object; reading it here would parse it.
    if (!(record instanceof RawRecordMessage) && !isObject(record.data)) throw new ConfigError(`line ${line}: RECORD for stream ${stream} has no data object`);
    if (typeof record.emitted_at !== 'number' || !Number.isFinite(record.emitted_at)) throw new ConfigError(`line ${line}: RECORD for stream ${stream} has no emitted_at timestamp`);
  } else if (message.type === 'STATE') {
    const state: unknown = message.state;
    if (!isObject(state)) throw new ConfigError(`line ${line}: STATE without a state object`);
    const legacy = state.type === undefined && isObject(state.data);
    if (!legacy && state.type !== 'STREAM' && state.type !== 'GLOBAL' && state.type !== 'LEGACY') {
      throw new ConfigError(`line ${line}: STATE of unknown type ${JSON.stringify(state.type ?? null).slice(0, 40)}; expected STREAM, GLOBAL or LEGACY`);
    }
  }
}
