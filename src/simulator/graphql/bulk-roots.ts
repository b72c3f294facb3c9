/** Query roots that read bulk operations: bulkOperation(id:), bulkOperations(...), currentBulkOperation (reference §1.6). */
import { GraphQLError } from 'graphql';
import { parseGid } from '../store/ids.js';
import { compare, parseSearch, parseSearchTime } from '../search.js';
import type { SearchWarning } from '../search.js';
import type { BulkOperationView } from '../bulk/types.js';
import { connectionOf } from './connection.js';
import type { PageArgs } from './connection.js';
import type { ExecContext } from './context.js';
import type { Rec } from '../store/types.js';

type Args = Record<string, unknown>;

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });
}

export function bulkOperationById(args: Args, ctx: ExecContext): BulkOperationView | null {
  const id = String(args.id);
  const parsed = parseGid(id);
  if (!parsed || parsed.type !== 'BulkOperation') throw new GraphQLError(`Invalid id: ${id}`, { extensions: { code: 'RESOURCE_NOT_FOUND' } });
  const job = ctx.operations.find(id);
  return job ? ctx.operations.view(job) : null;
}

const STATUSES = new Set(['canceled', 'canceling', 'completed', 'created', 'failed', 'running']);
const TYPES = new Set(['query', 'mutation']);

export function bulkOperationsConnection(args: Args, ctx: ExecContext, path: Array<string | number>): Rec {
  const hasFirst = typeof args.first === 'number';
  const hasLast = typeof args.last === 'number';
  if (!hasFirst && !hasLast) throw badRequest('you must provide one of first or last');
  if (hasFirst && hasLast) throw badRequest('providing both first and last is not supported');
  const query = typeof args.query === 'string' ? args.query : '';
  const warnings: SearchWarning[] = [];
  let views = ctx.operations.all().map((job) => ctx.operations.view(job));
  let empty = false;
  for (const term of parseSearch(query)) {
    if (term.field === 'created_at') {
      const at = parseSearchTime(term.value);
      if (Number.isNaN(at)) throw badRequest('Invalid timestamp for query filter `created_at`.');
      views = views.filter((view) => compare(Date.parse(view.createdAt), term.op, at));
    } else if (term.field === 'id') {
      const id = Number(term.value);
      views = views.filter((view) => compare(Number(view.id.split('/').pop()), term.op, id));
    } else if (term.field === 'status' || term.field === 'operation_type') {
      const accepted = term.field === 'status' ? STATUSES : TYPES;
      const value = term.value.toLowerCase();
      if (!accepted.has(value)) {
        warnings.push({ field: term.field, message: `Input \`${term.value}\` is not an accepted value.`, code: 'invalid_value' });
        empty = true;
      } else {
        views = views.filter((view) => (term.field === 'status' ? view.status : view.type).toLowerCase() === value);
      }
    } else {
      warnings.push({ field: term.field, message: 'Invalid search field for this query.', code: 'invalid_field' });
    }
  }
  if (empty) views = [];
  const byCompleted = args.sortKey === 'COMPLETED_AT';
  views.sort((a, b) => {
    const ka = byCompleted ? a.completedAt ?? '' : a.createdAt;
    const kb = byCompleted ? b.completedAt ?? '' : b.createdAt;
    return kb.localeCompare(ka) || b.id.localeCompare(a.id);
  });
  if (args.reverse === true) views.reverse();
  if (query && warnings.length) {
    const terms = parseSearch(query);
    const parsed = terms.length === 1 && terms[0] ? { field: terms[0].field, match_all: terms[0].value } : { and: terms.map((t) => ({ field: t.field, match_all: t.value })) };
    ctx.searchNotes.push({ path, query, parsed, warnings });
  }
  return connectionOf(views as unknown as Rec[], { first: args.first as number, last: args.last as number, after: args.after as string, before: args.before as string }, false);
}

export function currentBulkOperation(args: Args, ctx: ExecContext): BulkOperationView | null {
  return ctx.operations.current(args.type === 'MUTATION' ? 'MUTATION' : 'QUERY');
}

export type { PageArgs };
