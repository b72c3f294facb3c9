/*
 * The JSON check of json-bytes.ts (is this one JSON value?) in WebAssembly with 128-bit SIMD, compiled
 * by scripts/build-wasm.mjs into json-check-wasm.ts. Same verdicts as the JavaScript grammar, which
 * stays the fallback; about twice as fast on order records, where the scalar form of the same grammar
 * was no faster than the JavaScript one.
 *
 * Two steps per 64-byte block, after simdjson's design (Langdale & Lemire, "Parsing Gigabytes of JSON
 * per Second"):
 *  1. Compare the block with the characters that matter and turn each comparison into a 64-bit mask:
 *     quotes, backslashes, controls, whitespace, and the six structural characters. Backslashes mark
 *     escaped characters; the unescaped quotes' prefix XOR marks what is inside strings. A control
 *     character inside a string, or a backslash outside one, fails at once; each escape is checked.
 *  2. Walk the tokens outside strings in order (structural characters, opening quotes, the first
 *     character of each number or literal) through the grammar's state machine, with a stack of
 *     open containers. Numbers and literals are checked where they start.
 *
 * The input must be valid UTF-8 (the caller checks) and followed by at least 64 bytes of spaces.
 */
#include <stdint.h>
#include <wasm_simd128.h>

typedef uint8_t u8;
typedef uint64_t u64;

/* Deeper nesting returns 2 (undecided): the caller then uses the JavaScript grammar, which has no limit. */
#define MAX_DEPTH 1024
enum { OBJECT = 1, ARRAY = 2 };
enum { VALUE, VALUE_OR_CLOSE_ARRAY, KEY_OR_CLOSE_OBJECT, KEY, COLON, COMMA_OR_CLOSE, DONE };

static u8 stack[MAX_DEPTH];
extern u8 __heap_base;

/* Where the caller copies the bytes to check (memory from here on is free; the caller grows it). */
__attribute__((export_name("input"))) u8 *input(void) { return &__heap_base; }

static inline u64 bits(v128_t a, v128_t b, v128_t c, v128_t d) {
  return (u64)(uint16_t)wasm_i8x16_bitmask(a) | (u64)(uint16_t)wasm_i8x16_bitmask(b) << 16 |
         (u64)(uint16_t)wasm_i8x16_bitmask(c) << 32 | (u64)(uint16_t)wasm_i8x16_bitmask(d) << 48;
}

static inline u64 prefix_xor(u64 x) {
  x ^= x << 1; x ^= x << 2; x ^= x << 4; x ^= x << 8; x ^= x << 16; x ^= x << 32;
  return x;
}

static inline int is_ws(u8 c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
static inline int ends_scalar(u8 c) {
  return is_ws(c) || c == ',' || c == ':' || c == '}' || c == ']' || c == '{' || c == '[' || c == '"';
}
static inline int is_digit(u8 c) { return c >= '0' && c <= '9'; }
static inline int is_hex(u8 c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

/* b[p] starts a scalar outside strings (number or literal); true if it is exactly one. */
static int scalar_ok(const u8 *b, u64 p) {
  const u8 *s = b + p;
  if (s[0] == 't') return s[1] == 'r' && s[2] == 'u' && s[3] == 'e' && ends_scalar(s[4]);
  if (s[0] == 'f') return s[1] == 'a' && s[2] == 'l' && s[3] == 's' && s[4] == 'e' && ends_scalar(s[5]);
  if (s[0] == 'n') return s[1] == 'u' && s[2] == 'l' && s[3] == 'l' && ends_scalar(s[4]);
  if (*s == '-') s++;
  if (*s == '0') s++;
  else if (*s >= '1' && *s <= '9') while (is_digit(*s)) s++;
  else return 0;
  if (*s == '.') {
    s++;
    if (!is_digit(*s)) return 0;
    while (is_digit(*s)) s++;
  }
  if ((*s | 0x20) == 'e') {
    s++;
    if (*s == '+' || *s == '-') s++;
    if (!is_digit(*s)) return 0;
    while (is_digit(*s)) s++;
  }
  return ends_scalar(*s);
}

/* After a backslash inside a string: the escaped character at b[p]. */
static int escape_ok(const u8 *b, u64 p, u64 n) {
  u8 c = b[p];
  if (c == 'u') return p + 4 < n && is_hex(b[p + 1]) && is_hex(b[p + 2]) && is_hex(b[p + 3]) && is_hex(b[p + 4]);
  return c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't';
}

/*
 * Validates input()[0, n) as one JSON value with optional whitespace around it. The n bytes must be
 * followed by at least 64 bytes of spaces, and be valid UTF-8. Returns 1 (valid), 0 (invalid) or
 * 2 (nested deeper than MAX_DEPTH: undecided).
 */
__attribute__((export_name("validate"))) int validate(uint32_t n) {
  const u8 *b = &__heap_base;
  const v128_t quote = wasm_i8x16_splat('"'), backslash = wasm_i8x16_splat('\\'), space = wasm_i8x16_splat(' ');
  const v128_t lower = wasm_i8x16_splat(0x20), open = wasm_i8x16_splat('{'), close = wasm_i8x16_splat('}');
  const v128_t colon = wasm_i8x16_splat(':'), comma = wasm_i8x16_splat(',');
  /* Swizzle gives ws_table[c] for c < 16, else 0: only tab, newline and carriage return equal theirs. */
  const v128_t ws_table = wasm_i8x16_make(-1, -1, -1, -1, -1, -1, -1, -1, -1, '\t', '\n', -1, -1, '\r', -1, -1);
  u64 escape_carry = 0, string_carry = 0, scalar_carry = 0;
  int state = VALUE, depth = 0;
  for (u64 at = 0; at < n; at += 64) {
    const u8 *blk = b + at;
    v128_t v[4];
    u64 m_quote, m_bs, m_ctrl, m_ws, m_op;
    {
      v128_t q[4], s[4], c[4], w[4], o[4];
      for (int k = 0; k < 4; k++) {
        v[k] = wasm_v128_load(blk + 16 * k);
        q[k] = wasm_i8x16_eq(v[k], quote);
        s[k] = wasm_i8x16_eq(v[k], backslash);
        c[k] = wasm_u8x16_lt(v[k], lower);
        w[k] = wasm_v128_or(wasm_i8x16_eq(v[k], space), wasm_i8x16_eq(wasm_i8x16_swizzle(ws_table, v[k]), v[k]));
        v128_t folded = wasm_v128_or(v[k], lower); /* [ -> {, ] -> } */
        o[k] = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(folded, open), wasm_i8x16_eq(folded, close)),
                            wasm_v128_or(wasm_i8x16_eq(v[k], colon), wasm_i8x16_eq(v[k], comma)));
      }
      m_quote = bits(q[0], q[1], q[2], q[3]);
      m_bs = bits(s[0], s[1], s[2], s[3]);
      m_ctrl = bits(c[0], c[1], c[2], c[3]);
      m_ws = bits(w[0], w[1], w[2], w[3]);
      m_op = bits(o[0], o[1], o[2], o[3]);
    }
    /* Escaped characters: those after a backslash that is not itself escaped (backslashes are rare). */
    u64 escaped = escape_carry;
    escape_carry = 0;
    for (u64 m = m_bs; m; m &= m - 1) {
      int i = __builtin_ctzll(m);
      if (escaped >> i & 1) continue;
      if (i == 63) escape_carry = 1;
      else escaped |= 1ull << (i + 1);
    }
    u64 quotes = m_quote & ~escaped;
    /* Inside a string: from its opening quote up to, not including, its closing quote. */
    u64 in_string = prefix_xor(quotes) ^ string_carry;
    string_carry = (u64)((int64_t)in_string >> 63);
    if ((m_ctrl & in_string) | (m_bs & ~in_string)) return 0;
    for (u64 m = escaped & in_string; m; m &= m - 1) {
      if (!escape_ok(b, at + __builtin_ctzll(m), n)) return 0;
    }
    /* Outside strings, anything but whitespace, quotes and structural characters is part of a number or
       literal (or invalid there, which its check finds): a token where such a run starts. */
    u64 scalar = ~(m_ws | m_op | m_quote | in_string);
    u64 scalar_starts = scalar & ~(scalar << 1 | scalar_carry);
    scalar_carry = scalar >> 63;
    u64 tokens = (m_op & ~in_string) | (quotes & in_string) | scalar_starts;
    for (; tokens; tokens &= tokens - 1) {
      u64 p = at + __builtin_ctzll(tokens);
      u8 c = b[p];
      switch (state) {
        case VALUE_OR_CLOSE_ARRAY:
          if (c == ']') { depth--; goto after_value; }
          /* fall through */
        case VALUE:
          if (c == '{') {
            if (depth == MAX_DEPTH) return 2;
            stack[depth++] = OBJECT;
            state = KEY_OR_CLOSE_OBJECT;
            continue;
          }
          if (c == '[') {
            if (depth == MAX_DEPTH) return 2;
            stack[depth++] = ARRAY;
            state = VALUE_OR_CLOSE_ARRAY;
            continue;
          }
          if (c == '"') goto after_value;
          if (c == ',' || c == ':' || c == '}' || c == ']' || !scalar_ok(b, p)) return 0;
          goto after_value;
        case KEY_OR_CLOSE_OBJECT:
          if (c == '}') { depth--; goto after_value; }
          /* fall through */
        case KEY:
          if (c != '"') return 0;
          state = COLON;
          continue;
        case COLON:
          if (c != ':') return 0;
          state = VALUE;
          continue;
        case COMMA_OR_CLOSE:
          if (c == ',') { state = stack[depth - 1] == OBJECT ? KEY : VALUE; continue; }
          if ((c == '}' && stack[depth - 1] == OBJECT) || (c == ']' && stack[depth - 1] == ARRAY)) { depth--; goto after_value; }
          return 0;
        default:
          return 0; /* anything after the value */
      }
    after_value:
      state = depth == 0 ? DONE : COMMA_OR_CLOSE;
    }
  }
  return state == DONE && string_carry == 0;
}
