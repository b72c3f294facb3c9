/** Relay connections over arrays: paginated for normal queries, complete inside bulk jobs (guide: `first` is ignored). */
import type { Rec } from '../store/types.js';

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
  reverse?: boolean | null;
}

export function encodeCursor(position: number): string {
  return Buffer.from(JSON.stringify({ last_position: position })).toString('base64');
}

export function decodeCursor(cursor: string | null | undefined): number | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64').toString('utf8')) as { last_position?: unknown };
    return typeof parsed.last_position === 'number' ? parsed.last_position : undefined;
  } catch {
    return undefined;
  }
}

/** The window [start, end) of `total` items that a page request selects. */
export function pageWindow(total: number, args: PageArgs): { start: number; end: number } {
  let start = 0;
  let end = total;
  const after = decodeCursor(args.after);
  const before = decodeCursor(args.before);
  if (after !== undefined) start = Math.max(start, after + 1);
  if (before !== undefined) end = Math.min(end, before);
  if (typeof args.first === 'number') end = Math.min(end, start + Math.max(0, args.first));
  if (typeof args.last === 'number') start = Math.max(start, end - Math.max(0, args.last));
  return { start, end: Math.max(start, end) };
}

/** A connection object over already-materialised items. */
export function connectionOf(items: Rec[], args: PageArgs, bulk: boolean, offset = 0, total = items.length): Rec {
  let list = items;
  let start = 0;
  if (!bulk) {
    const ordered = args.reverse ? [...items].reverse() : items;
    const window = pageWindow(ordered.length, args);
    start = window.start;
    list = ordered.slice(window.start, window.end);
  }
  const first = offset + start;
  return {
    edges: list.map((node, i) => ({ __typename: 'Edge', node, cursor: encodeCursor(first + i) })),
    nodes: list,
    pageInfo: {
      __typename: 'PageInfo',
      hasNextPage: first + list.length < total,
      hasPreviousPage: first > 0,
      startCursor: list.length ? encodeCursor(first) : null,
      endCursor: list.length ? encodeCursor(first + list.length - 1) : null,
    },
  };
}
