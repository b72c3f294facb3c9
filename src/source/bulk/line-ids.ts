/**
 * `id` and `__parentId` of a bulk result line read from its bytes, without decoding or parsing it:
 * bucketing an ungrouped result only needs to know which root a line belongs to, and each line is
 * parsed once, later, when its bucket is assembled.
 *
 * Ids are compared through a canonical form, the UTF-8 bytes of the decoded JSON string, so the same
 * id written with different escapes (`\/` or `/`) lands in the same bucket. `keyOf` gives that form as
 * a latin1 string (one char per byte) for use as a Map key; `hashOf` hashes it.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
/** `{"id":"` */
const ID_PREFIX = Buffer.from('{"id":"');
/** `"__parentId":"` */
const PARENT_KEY = Buffer.from('"__parentId":"');
const PARENT_NAME = Buffer.from('"__parentId"');

/** A JSON string token's content in `buf[start, end)`, not yet decoded. */
export interface Token {
  buf: Buffer;
  start: number;
  end: number;
  /** Whether it holds escapes other than `\/`, so only JSON.parse can decode it. */
  complex: boolean;
}

export interface LineIds {
  /** The line's own id; left out for a child when `wantChildId` is false. */
  id: Token | undefined;
  parent: Token | undefined;
}

function matches(buf: Buffer, at: number, what: Buffer): boolean {
  if (at < 0 || at + what.length > buf.length) return false;
  for (let i = 0; i < what.length; i++) if (buf[at + i] !== what[i]) return false;
  return true;
}

/** Whether the backslashes in `buf[start, end)` are all `\/` escapes (then dropping them decodes the token). */
function onlySlashEscapes(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    if (buf[i] === BACKSLASH) {
      if (buf[i + 1] !== SLASH || i + 1 >= end) return false;
      i++;
    }
  }
  return true;
}

/**
 * Reads the ids of the line `buf[start, end)` when it has Shopify's layout: `id` first and, for a
 * child, `__parentId` last. Returns undefined for any other layout (the caller parses the line).
 *
 * `"__parentId":"` cannot occur inside a JSON string (its quotes would be escaped), and a string value
 * directly followed by the line's final `}` belongs to the top-level object, so a match there is the
 * top-level key. A line without it at the end is a root only if the key occurs nowhere in it.
 */
export function lineIds(buf: Buffer, start: number, end: number, wantChildId: boolean): LineIds | undefined {
  if (!matches(buf, start, ID_PREFIX)) return undefined;
  // The parent: the last string before the closing `}`.
  let parent: Token | undefined;
  if (end - start > ID_PREFIX.length + 2 && buf[end - 1] === 0x7d && buf[end - 2] === QUOTE) {
    let q = end - 3;
    let escapes = false;
    while (q > start && buf[q] !== QUOTE) {
      if (buf[q] === BACKSLASH) escapes = true;
      q--;
    }
    if (matches(buf, q - PARENT_KEY.length + 1, PARENT_KEY)) {
      if (buf[q - 1] === BACKSLASH) return undefined; // an escaped quote: not a plain token
      parent = { buf, start: q + 1, end: end - 2, complex: escapes && !onlySlashEscapes(buf, q + 1, end - 2) };
    }
  }
  if (parent === undefined && buf.subarray(start, end).indexOf(PARENT_NAME) >= 0) return undefined;
  if (parent !== undefined && !wantChildId) return { id: undefined, parent };
  const idStart = start + ID_PREFIX.length;
  let i = idStart;
  let escapes = false;
  for (; i < end; i++) {
    const c = buf[i];
    if (c === QUOTE) break;
    if (c === BACKSLASH) {
      escapes = true;
      i++;
    }
  }
  if (i >= end) return undefined;
  return { id: { buf, start: idStart, end: i, complex: escapes && !onlySlashEscapes(buf, idStart, i) }, parent };
}

/** The canonical bytes of a token as a latin1 string (a Map key). */
export function keyOf(token: Token): string {
  if (token.complex) return canonicalKey(decodeToken(token));
  const raw = token.buf.toString('latin1', token.start, token.end);
  return raw.includes('\\') ? raw.replaceAll('\\/', '/') : raw;
}

/** The canonical key of an id read by parsing the line. */
export function canonicalKey(id: string): string {
  return Buffer.from(id, 'utf8').toString('latin1');
}

function decodeToken(token: Token): string {
  // Invalid escapes make the line invalid JSON; parsing it later reports the line, so any key does here.
  try {
    return JSON.parse(`"${token.buf.toString('utf8', token.start, token.end)}"`) as string;
  } catch {
    return token.buf.toString('latin1', token.start, token.end);
  }
}

/** FNV-1a over a token's canonical bytes (`\/` counts as `/`). */
export function hashOf(token: Token): number {
  if (token.complex) return hashKey(canonicalKey(decodeToken(token)));
  const { buf, end } = token;
  let h = 2166136261;
  for (let i = token.start; i < end; i++) {
    let c = buf[i]!;
    if (c === BACKSLASH) c = buf[++i]!;
    h = Math.imul(h ^ c, 16777619);
  }
  return h >>> 0;
}

/** FNV-1a over a canonical key (one char per byte), equal to `hashOf` of a token with the same bytes. */
export function hashKey(key: string): number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}
