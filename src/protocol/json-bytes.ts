/**
 * Checks that bytes hold one JSON value (RFC 8259 grammar) without building it. The destination copies
 * a record's data bytes into its output as they arrived; they must be proven valid first, and
 * `JSON.parse` would build every object and string of the record only to throw them away (about three
 * times the cost of this scan, and the larger part of the destination's CPU). No maintained library
 * validates JSON bytes in place, so the grammar is written out here, with a property test against
 * `JSON.parse` on mutated inputs. `isJsonObject` runs the same grammar as WebAssembly SIMD
 * (json-check.c, about twice as fast on order records) and falls back to this one where that is
 * undecided or unavailable.
 *
 * The bytes must already be valid UTF-8 (the caller checks with `isUtf8`): inside strings any byte from
 * 0x20 up is accepted, as JSON allows every code point there except the controls below U+0020.
 */
import { loadWasmJsonCheck, type WasmJsonCheck } from './json-check.js';

/** How a byte ends a plain run inside a string: 0 keeps scanning. */
const STRING_STOP = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_STOP[c] = 3; // a raw control character: invalid
STRING_STOP[0x22] = 1; // closing quote
STRING_STOP[0x5c] = 2; // escape

const WHITESPACE = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WHITESPACE[c] = 1;

/** The characters allowed after a backslash, except `u`. */
const SIMPLE_ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrt') SIMPLE_ESCAPE[c.charCodeAt(0)] = 1;

const HEX_DIGIT = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX_DIGIT[c.charCodeAt(0)] = 1;

const OBJECT = 1;
const ARRAY = 2;

/** Index after the string whose opening quote is just before `i`, or -1. */
export function jsonStringEnd(b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const stop = STRING_STOP[b[i]!]!;
    if (stop === 0) {
      i++;
      continue;
    }
    if (stop === 1) return i + 1;
    if (stop === 3) return -1;
    const e = b[i + 1];
    if (e === 0x75) {
      if (i + 5 >= end || !HEX_DIGIT[b[i + 2]!] || !HEX_DIGIT[b[i + 3]!] || !HEX_DIGIT[b[i + 4]!] || !HEX_DIGIT[b[i + 5]!]) return -1;
      i += 6;
    } else if (i + 1 < end && SIMPLE_ESCAPE[e!] === 1) i += 2;
    else return -1;
  }
  return -1;
}

function digitsEnd(b: Uint8Array, i: number, end: number): number {
  const start = i;
  while (i < end && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
  return i === start ? -1 : i;
}

function numberEnd(b: Uint8Array, i: number, end: number): number {
  if (b[i] === 0x2d) i++; // -
  if (i >= end) return -1;
  if (b[i] === 0x30) i++;
  else if (b[i]! >= 0x31 && b[i]! <= 0x39) i = digitsEnd(b, i, end);
  else return -1;
  if (i < end && b[i] === 0x2e) {
    i = digitsEnd(b, i + 1, end);
    if (i < 0) return -1;
  }
  if (i < end && (b[i] === 0x65 || b[i] === 0x45)) {
    i++;
    if (i < end && (b[i] === 0x2b || b[i] === 0x2d)) i++;
    i = digitsEnd(b, i, end);
  }
  return i;
}

const TRUE = [0x74, 0x72, 0x75, 0x65];
const FALSE = [0x66, 0x61, 0x6c, 0x73, 0x65];
const NULL = [0x6e, 0x75, 0x6c, 0x6c];

function literalEnd(b: Uint8Array, i: number, end: number, word: number[]): number {
  if (i + word.length > end) return -1;
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word[k]) return -1;
  return i + word.length;
}

function skipWhitespace(b: Uint8Array, i: number, end: number): number {
  while (i < end && WHITESPACE[b[i]!] === 1) i++;
  return i;
}

/** After an object's `{` or `,`: the member's key and colon. Index of the value, or -1. */
function memberKeyEnd(b: Uint8Array, i: number, end: number): number {
  i = skipWhitespace(b, i, end);
  if (b[i] !== 0x22 || i >= end) return -1;
  i = jsonStringEnd(b, i + 1, end);
  if (i < 0) return -1;
  i = skipWhitespace(b, i, end);
  return i < end && b[i] === 0x3a ? i + 1 : -1;
}

/**
 * Index just after the JSON value that starts at `start` (after optional whitespace), or -1 when
 * `b[start, end)` does not begin with a valid value. Nesting depth is limited only by memory.
 */
export function jsonValueEnd(b: Uint8Array, start: number, end: number): number {
  const open: number[] = [];
  let i = start;
  for (;;) {
    i = skipWhitespace(b, i, end);
    if (i >= end) return -1;
    const c = b[i]!;
    if (c === 0x7b) {
      i = skipWhitespace(b, i + 1, end);
      if (i < end && b[i] === 0x7d) i++;
      else {
        i = memberKeyEnd(b, i, end);
        if (i < 0) return -1;
        open.push(OBJECT);
        continue;
      }
    } else if (c === 0x5b) {
      i = skipWhitespace(b, i + 1, end);
      if (i < end && b[i] === 0x5d) i++;
      else {
        open.push(ARRAY);
        continue;
      }
    } else if (c === 0x22) i = jsonStringEnd(b, i + 1, end);
    else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) i = numberEnd(b, i, end);
    else if (c === 0x74) i = literalEnd(b, i, end, TRUE);
    else if (c === 0x66) i = literalEnd(b, i, end, FALSE);
    else if (c === 0x6e) i = literalEnd(b, i, end, NULL);
    else return -1;
    if (i < 0) return -1;
    // A value ended: close containers until one expects another value.
    for (;;) {
      if (open.length === 0) return i;
      i = skipWhitespace(b, i, end);
      if (i >= end) return -1;
      const next = b[i]!;
      const inside = open[open.length - 1];
      if (next === 0x2c) {
        i = inside === OBJECT ? memberKeyEnd(b, i + 1, end) : i + 1;
        if (i < 0) return -1;
        break;
      }
      if ((next === 0x7d && inside === OBJECT) || (next === 0x5d && inside === ARRAY)) {
        open.pop();
        i++;
        continue;
      }
      return -1;
    }
  }
}

/** Loaded on first use: a process that never checks record data (the source) never instantiates it. */
let wasmCheck: WasmJsonCheck | undefined | null = null;

/** True when `b[start, end)` is exactly one JSON object, with no whitespace around it. */
export function isJsonObject(b: Uint8Array, start: number, end: number): boolean {
  if (b[start] !== 0x7b || b[end - 1] !== 0x7d) return false;
  if (wasmCheck === null) wasmCheck = loadWasmJsonCheck();
  return wasmCheck?.(b, start, end) ?? jsonValueEnd(b, start, end) === end;
}
