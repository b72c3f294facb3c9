/**
 * The three GraphQL calls of a bulk query operation: run, read (poll) and cancel, with their answers
 * parsed into plain values. Counters arrive as strings (UnsignedInt64) and are turned into numbers.
 */
import { ConnectorError } from '../../runtime/errors.js';
import type { ShopifyClient } from '../shopify/client.js';
import { hasBulkOperationRoot, hasBulkUserErrorCode, hasGroupObjects } from '../shopify/versions.js';

export type BulkStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'EXPIRED';
export type BulkErrorCode = 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT';

export interface BulkOperation {
  id: string;
  status: BulkStatus;
  errorCode: BulkErrorCode | null;
  createdAt: string | undefined;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | undefined;
  url: string | null;
  partialDataUrl: string | null;
  completedAt?: string;
  /** The query the operation runs (read to confirm a job recorded in state is the one we want). */
  query?: string;
}

export type RunResult =
  | { kind: 'started'; id: string }
  /** Every slot is taken (ours or another app's): wait and submit again. */
  | { kind: 'busy'; message: string }
  | { kind: 'rejected'; message: string };

const FIELDS = 'id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query';

function toNumber(v: unknown): number {
  const n = typeof v === 'string' ? Number(v) : typeof v === 'number' ? v : 0;
  return Number.isFinite(n) ? n : 0;
}

export function parseOperation(raw: unknown): BulkOperation {
  const o = raw as Record<string, unknown> | null;
  if (!o || typeof o.id !== 'string' || typeof o.status !== 'string') {
    throw new ConnectorError(`Shopify returned an unreadable bulk operation: ${JSON.stringify(raw)?.slice(0, 200)}`);
  }
  return {
    id: o.id,
    status: o.status as BulkStatus,
    errorCode: (o.errorCode as BulkErrorCode | null | undefined) ?? null,
    createdAt: typeof o.createdAt === 'string' ? o.createdAt : undefined,
    objectCount: toNumber(o.objectCount),
    rootObjectCount: toNumber(o.rootObjectCount),
    fileSize: o.fileSize === null || o.fileSize === undefined ? undefined : toNumber(o.fileSize),
    url: typeof o.url === 'string' ? o.url : null,
    partialDataUrl: typeof o.partialDataUrl === 'string' ? o.partialDataUrl : null,
    ...(typeof o.completedAt === 'string' ? { completedAt: o.completedAt } : {}),
    ...(typeof o.query === 'string' ? { query: o.query } : {}),
  };
}

const IN_PROGRESS = /already in progress|limit reached/i;

export function runMutation(version: string): string {
  const code = hasBulkUserErrorCode(version) ? ' code' : '';
  const args = hasGroupObjects(version) ? '(query: $query, groupObjects: $groupObjects)' : '(query: $query)';
  const vars = hasGroupObjects(version) ? '($query: String!, $groupObjects: Boolean!)' : '($query: String!)';
  return `mutation bulkRun${vars} { bulkOperationRunQuery${args} { bulkOperation { id status createdAt } userErrors { field message${code} } } }`;
}

export function pollQuery(version: string): string {
  return hasBulkOperationRoot(version)
    ? `query bulkPoll($id: ID!) { bulkOperation(id: $id) { ${FIELDS} } }`
    : `query bulkPoll($id: ID!) { node(id: $id) { ... on BulkOperation { ${FIELDS} } } }`;
}

export const CANCEL_MUTATION = 'mutation bulkCancel($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { id status } userErrors { field message } } }';

interface UserError {
  field?: string[] | null;
  message: string;
  code?: string | null;
}

export async function runBulkQuery(client: ShopifyClient, query: string, groupObjects: boolean, operation: string): Promise<RunResult> {
  const variables: Record<string, unknown> = { query };
  if (hasGroupObjects(client.apiVersion)) variables.groupObjects = groupObjects;
  const { data } = await client.graphql<{ bulkOperationRunQuery: { bulkOperation: unknown; userErrors: UserError[] } | null }>(
    runMutation(client.apiVersion),
    variables,
    { operation, cost: 10 },
  );
  const payload = data.bulkOperationRunQuery;
  const errors = payload?.userErrors ?? [];
  if (errors.length > 0) {
    const message = errors.map((e) => e.message).join('; ');
    const busy = errors.some((e) => e.code === 'OPERATION_IN_PROGRESS' || e.code === 'LIMIT_REACHED' || IN_PROGRESS.test(e.message));
    return busy ? { kind: 'busy', message } : { kind: 'rejected', message };
  }
  if (!payload?.bulkOperation) return { kind: 'rejected', message: 'Shopify accepted the bulk query but returned no operation' };
  return { kind: 'started', id: parseOperation(payload.bulkOperation).id };
}

export async function readBulkOperation(client: ShopifyClient, id: string, operation: string): Promise<BulkOperation> {
  const { data } = await client.graphql<{ bulkOperation?: unknown; node?: unknown }>(pollQuery(client.apiVersion), { id }, { operation, cost: 1 });
  const raw = hasBulkOperationRoot(client.apiVersion) ? data.bulkOperation : data.node;
  if (!raw) throw new ConnectorError(`Shopify does not know bulk operation ${id} any more`);
  return parseOperation(raw);
}

/** Asks Shopify to cancel one of our own operations. An operation that already finished is fine. */
export async function cancelBulkOperation(client: ShopifyClient, id: string, operation: string): Promise<void> {
  const { data } = await client.graphql<{ bulkOperationCancel: { userErrors: UserError[] } | null }>(CANCEL_MUTATION, { id }, { operation, cost: 10 });
  const errors = data.bulkOperationCancel?.userErrors ?? [];
  const unexpected = errors.filter((e) => !/cannot be canceled when it is/i.test(e.message));
  if (unexpected.length > 0) throw new ConnectorError(`Shopify refused to cancel ${id}: ${unexpected.map((e) => e.message).join('; ')}`);
}
