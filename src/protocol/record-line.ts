/**
 * A fast path for the RECORD lines a connector usually writes: `{"type":"RECORD","record":{"stream":S,
 * ["namespace":N,]"data":D,"emitted_at":T}}` byte for byte, no whitespace outside D. Such a line is cut
 * into that fixed prefix, D and that fixed suffix, and only D is parsed. Because the prefix and suffix
 * are checked exactly and D must parse on its own as one JSON object, the line is valid JSON and parses
 * to exactly the message built here (JSON has one parse per text; the envelope has no repeated key). So
 * D's text is the record's data as the line holds it, and a JSON writer may copy it instead of
 * serialising the parsed object again (which costs about as much as parsing it).
 *
 * Anything else (other key order, whitespace, `meta`, repeated keys, invalid JSON) returns undefined:
 * the caller parses the whole line as usual, which also gives the right error for a broken line.
 */
import type { AirbyteRecordMessage } from './messages.js';

export interface SplitRecord {
  record: AirbyteRecordMessage;
  /** The exact JSON text of `record.data` in the line. */
  rawData: string;
}

const PREFIX = '{"type":"RECORD","record":{"stream":';
const NAMESPACE = ',"namespace":';
const DATA = ',"data":';
const EMITTED_AT = ',"emitted_at":';
const SUFFIX = '}}';
/** A JSON string literal (validated by JSON.parse afterwards: control characters, bad escapes). */
const STRING_LITERAL = /"(?:[^"\\]|\\.)*"/y;
/** A JSON number, exactly as the grammar allows it. */
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Parses the JSON string literal at `at`; returns it and the index after it, or undefined. */
function stringAt(text: string, at: number): [string, number] | undefined {
  STRING_LITERAL.lastIndex = at;
  const m = STRING_LITERAL.exec(text);
  if (!m) return undefined;
  try {
    return [JSON.parse(m[0]) as string, at + m[0].length];
  } catch {
    return undefined;
  }
}

export function splitRecordLine(text: string): SplitRecord | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  const stream = stringAt(text, PREFIX.length);
  if (!stream) return undefined;
  let at = stream[1];
  let namespace: string | undefined;
  if (text.startsWith(NAMESPACE, at)) {
    const ns = stringAt(text, at + NAMESPACE.length);
    if (!ns) return undefined;
    namespace = ns[0];
    at = ns[1];
  }
  if (!text.startsWith(DATA, at)) return undefined;
  const dataStart = at + DATA.length;
  // The last occurrence is the envelope's: one inside D would be followed by more of D.
  const tail = text.lastIndexOf(EMITTED_AT);
  if (tail <= dataStart || !text.endsWith(SUFFIX)) return undefined;
  const numberText = text.slice(tail + EMITTED_AT.length, text.length - SUFFIX.length);
  if (!NUMBER.test(numberText)) return undefined;
  const rawData = text.slice(dataStart, tail);
  if (rawData.charCodeAt(0) !== 0x7b || rawData.charCodeAt(rawData.length - 1) !== 0x7d) return undefined; // { ... }
  let data: unknown;
  try {
    data = JSON.parse(rawData);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const emittedAt = Number(numberText);
  const record: AirbyteRecordMessage =
    namespace === undefined
      ? { stream: stream[0], data: data as Record<string, unknown>, emitted_at: emittedAt }
      : { stream: stream[0], namespace, data: data as Record<string, unknown>, emitted_at: emittedAt };
  return { record, rawData };
}
