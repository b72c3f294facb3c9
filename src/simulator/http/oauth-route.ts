/** `POST /admin/oauth/access_token`: the client-credentials grant (reference §3.2). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorState } from '../simulator.js';
import { readBody, resetMidResponse, sendHttpFault, sendJson } from './util.js';

function params(req: IncomingMessage, text: string): URLSearchParams {
  if (String(req.headers['content-type'] ?? '').includes('application/json')) {
    const body = JSON.parse(text || '{}') as Record<string, unknown>;
    return new URLSearchParams(Object.entries(body).map(([k, v]): [string, string] => [k, String(v)]));
  }
  return new URLSearchParams(text);
}

export async function oauthRoute(state: SimulatorState, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const text = await readBody(req);
  const fault = state.faults.forRequest('oauth', path);
  if (fault?.type === 'http') {
    state.record({ method: 'POST', path, kind: 'oauth', status: fault.status, fault: `http ${fault.status}` });
    sendHttpFault(res, fault.status, fault.retryAfter);
    return;
  }
  if (fault?.type === 'reset') {
    state.record({ method: 'POST', path, kind: 'oauth', status: 0, fault: 'reset' });
    resetMidResponse(res);
    return;
  }
  let form: URLSearchParams;
  try {
    form = params(req, text);
  } catch {
    form = new URLSearchParams();
  }
  const { clientId, clientSecret } = state.tokens.client;
  if (form.get('grant_type') !== 'client_credentials') {
    state.record({ method: 'POST', path, kind: 'oauth', status: 400 });
    sendJson(res, 400, { error: 'unsupported_grant_type', error_description: 'The authorization grant type is not supported by the authorization server.' });
    return;
  }
  if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
    state.record({ method: 'POST', path, kind: 'oauth', status: 401 });
    sendJson(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.' });
    return;
  }
  state.record({ method: 'POST', path, kind: 'oauth', status: 200 });
  sendJson(res, 200, state.tokens.issue(state.clock.now()));
}
