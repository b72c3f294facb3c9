/**
 * Shopify search syntax, the subset the simulator honours: `field:value`, `field:>=value` (also `>`,
 * `<`, `<=`), values optionally quoted, terms joined by `AND` or whitespace. Anything else is ignored
 * with a warning, the way Shopify ignores an invalid search field (reference §1.6).
 */
export type Comparator = '>' | '>=' | '<' | '<=' | '=';

export interface SearchTerm {
  field: string;
  op: Comparator;
  value: string;
}

function tokens(query: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const ch of query) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (/\s/.test(ch)) {
      if (current) out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current) out.push(current);
  return out;
}

export function parseSearch(query: string | null | undefined): SearchTerm[] {
  if (!query) return [];
  const terms: SearchTerm[] = [];
  for (const token of tokens(query)) {
    if (token === 'AND') continue;
    const colon = token.indexOf(':');
    if (colon <= 0) continue;
    const field = token.slice(0, colon);
    let rest = token.slice(colon + 1);
    let op: Comparator = '=';
    for (const candidate of ['>=', '<=', '>', '<'] as const) {
      if (rest.startsWith(candidate)) {
        op = candidate;
        rest = rest.slice(candidate.length);
        break;
      }
    }
    terms.push({ field, op, value: rest });
  }
  return terms;
}

/** Parses a search timestamp (`2024-01-01`, `2024-01-01T00:00:00Z`, with offset); NaN when invalid. */
export function parseSearchTime(value: string): number {
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return Number.NaN;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value;
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(text) ? text : `${text}Z`;
  return Date.parse(withZone);
}

export function compare(actual: number, op: Comparator, expected: number): boolean {
  switch (op) {
    case '>': return actual > expected;
    case '>=': return actual >= expected;
    case '<': return actual < expected;
    case '<=': return actual <= expected;
    default: return actual === expected;
  }
}

export interface SearchWarning {
  field: string;
  message: string;
  code: string;
}
