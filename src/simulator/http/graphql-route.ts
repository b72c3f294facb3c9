/** `POST /admin/api/{version}/graphql.json` (reference §3.2): auth, version fall-forward, faults, execution, log. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { handleGraphQL, classify, parseRequest } from '../graphql/handle.js';
import type { GraphQLRequest } from '../graphql/handle.js';
import type { ExecContext } from '../graphql/context.js';
import type { SimulatorState } from '../simulator.js';
import { effectiveVersion } from '../versions.js';
import { readBody, resetMidResponse, sendHttpFault, sendJson, sleep } from './util.js';

export const UNAUTHORIZED = { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' };

function requestFrom(req: IncomingMessage, text: string): GraphQLRequest {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/graphql')) return { query: text };
  const body = JSON.parse(text || '{}') as { query?: unknown; variables?: unknown; operationName?: unknown };
  return {
    query: typeof body.query === 'string' ? body.query : '',
    ...(body.variables && typeof body.variables === 'object' ? { variables: body.variables as Record<string, unknown> } : {}),
    ...(typeof body.operationName === 'string' ? { operationName: body.operationName } : {}),
  };
}

/** What `query` fault rules match: the query text, string variables, and the query of a bulk operation named in it. */
function subjectOf(state: SimulatorState, request: GraphQLRequest): string {
  const strings = Object.values(request.variables ?? {}).filter((v): v is string => typeof v === 'string');
  const named = [request.query, ...strings].join('\n').match(/gid:\/\/shopify\/BulkOperation\/\d+/g) ?? [];
  const jobs = named.map((gid) => state.operations.find(gid)?.query ?? '');
  return [request.query, ...strings, ...jobs].join('\n');
}

export async function graphqlRoute(state: SimulatorState, req: IncomingMessage, res: ServerResponse, requestedVersion: string, path: string): Promise<void> {
  const version = effectiveVersion(requestedVersion, state.supportedVersions);
  const headers = { 'X-Shopify-API-Version': version };
  const text = await readBody(req);
  let request: GraphQLRequest;
  try {
    request = requestFrom(req, text);
  } catch {
    state.record({ method: 'POST', path, kind: 'invalid', status: 400 });
    sendJson(res, 400, { errors: { query: 'Required parameter missing or invalid' } }, headers);
    return;
  }
  const parsed = parseRequest(request);
  const kind = parsed.error ? 'invalid' : classify(parsed.operation);
  const token = req.headers['x-shopify-access-token'];
  const auth = state.tokens.lookup(typeof token === 'string' ? token : undefined, state.clock.now());
  if (!auth || typeof token !== 'string') {
    state.record({ method: 'POST', path, kind, status: 401 });
    sendJson(res, 401, UNAUTHORIZED, headers);
    return;
  }
  const fault = state.faults.forRequest(kind, path, subjectOf(state, request));
  if (fault?.type === 'slow') await sleep(fault.delayMs);
  if (fault?.type === 'http') {
    state.record({ method: 'POST', path, kind, status: fault.status, fault: `http ${fault.status}` });
    sendHttpFault(res, fault.status, fault.retryAfter);
    return;
  }
  if (fault?.type === 'reset') {
    state.record({ method: 'POST', path, kind, status: 0, fault: 'reset' });
    resetMidResponse(res);
    return;
  }
  const context: ExecContext = {
    schema: undefined as never, version, store: state.store, operations: state.operations, scopes: auth.scopes, token,
    shop: state.shop, searchNotes: [], takeJobFate: (query) => state.takeJobFate(query),
  };
  const answer = handleGraphQL(request, context, state.buckets, fault?.type === 'throttled');
  state.record({
    method: 'POST', path, kind: answer.kind, status: 200,
    ...(answer.bulkOperationId ? { bulkOperationId: answer.bulkOperationId } : {}),
    ...(fault ? { fault: fault.type } : {}),
    ...(answer.throttled ? { throttled: true } : {}),
  });
  sendJson(res, 200, answer.body, headers);
}
