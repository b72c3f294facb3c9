/**
 * A fast path for the RECORD lines a connector usually writes: `{"type":"RECORD","record":{"stream":S,
 * ["namespace":N,]"data":D,"emitted_at":T}}` byte for byte, no whitespace outside D. Such a line is cut
 * into that fixed prefix, D and that fixed suffix; D is checked to be one JSON object (json-bytes.ts)
 * but not parsed. Because the prefix and suffix are checked exactly and D is one valid JSON object, the
 * line is valid JSON and parses to exactly the message described here (JSON has one parse per text;
 * the envelope has no repeated key). So D's bytes are the record's data as the line holds it: a JSON
 * writer copies them, and only a writer that needs the fields parses them (`RawRecordMessage.data`).
 *
 * Anything else (other key order, whitespace, `meta`, repeated keys, invalid JSON or UTF-8) returns
 * undefined: the caller parses the whole line as usual, which also gives the right error for a broken line.
 */
import { isUtf8 } from 'node:buffer';
import { isJsonObject, jsonStringEnd } from './json-bytes.js';
import type { AirbyteRecordMessage } from './messages.js';

/**
 * A RECORD whose data is kept as its JSON bytes and parsed only when first read. `data` is a getter:
 * spread a copy through `toJSON()`, not `{...record}`.
 */
export class RawRecordMessage implements AirbyteRecordMessage {
  [key: string]: unknown;
  readonly namespace?: string;
  #parsed: Record<string, unknown> | undefined;

  constructor(
    readonly stream: string,
    namespace: string | undefined,
    readonly emitted_at: number,
    /** The exact JSON bytes of `data` in the line: one JSON object, proven valid. */
    readonly rawData: Buffer,
  ) {
    if (namespace !== undefined) this.namespace = namespace;
  }

  get data(): Record<string, unknown> {
    return (this.#parsed ??= JSON.parse(this.rawData.toString('utf8')) as Record<string, unknown>);
  }

  toJSON(): AirbyteRecordMessage {
    return this.namespace === undefined
      ? { stream: this.stream, data: this.data, emitted_at: this.emitted_at }
      : { stream: this.stream, namespace: this.namespace, data: this.data, emitted_at: this.emitted_at };
  }
}

const bytes = (s: string): Buffer => Buffer.from(s, 'latin1');
const PREFIX = bytes('{"type":"RECORD","record":{"stream":');
const NAMESPACE = bytes(',"namespace":');
const DATA = bytes(',"data":');
const EMITTED_AT = bytes(',"emitted_at":');
const SUFFIX = bytes('}}');
/** A JSON number, exactly as the grammar allows it. */
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

function startsWithAt(line: Buffer, part: Buffer, at: number): boolean {
  return line.length - at >= part.length && line.compare(part, 0, part.length, at, at + part.length) === 0;
}

/** The JSON string literal at `at`, decoded, and the index after it; undefined when there is none. */
function stringAt(line: Buffer, at: number): [string, number] | undefined {
  if (line[at] !== 0x22) return undefined;
  const end = jsonStringEnd(line, at + 1, line.length);
  if (end < 0) return undefined;
  return [JSON.parse(line.toString('utf8', at, end)) as string, end];
}

export function splitRecordLine(line: Buffer): RawRecordMessage | undefined {
  if (!startsWithAt(line, PREFIX, 0) || !startsWithAt(line, SUFFIX, line.length - SUFFIX.length) || !isUtf8(line)) return undefined;
  const stream = stringAt(line, PREFIX.length);
  if (!stream) return undefined;
  let at = stream[1];
  let namespace: string | undefined;
  if (startsWithAt(line, NAMESPACE, at)) {
    const ns = stringAt(line, at + NAMESPACE.length);
    if (!ns) return undefined;
    namespace = ns[0];
    at = ns[1];
  }
  if (!startsWithAt(line, DATA, at)) return undefined;
  const dataStart = at + DATA.length;
  // The last occurrence is the envelope's: one inside D would be followed by more of D.
  const tail = line.lastIndexOf(EMITTED_AT);
  if (tail <= dataStart) return undefined;
  const numberText = line.toString('latin1', tail + EMITTED_AT.length, line.length - SUFFIX.length);
  if (!NUMBER.test(numberText)) return undefined;
  if (!isJsonObject(line, dataStart, tail)) return undefined;
  return new RawRecordMessage(stream[0], namespace, Number(numberText), line.subarray(dataStart, tail));
}
