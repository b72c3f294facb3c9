/** The HTTP server: routes Admin GraphQL, OAuth, result downloads and the control API. */
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SimulatorState } from '../simulator.js';
import { DOWNLOAD_PREFIX } from '../bulk/files.js';
import { CONTROL_PREFIX, controlRoute } from './control-route.js';
import { downloadRoute } from './download-route.js';
import { graphqlRoute } from './graphql-route.js';
import { oauthRoute } from './oauth-route.js';
import { sendJson } from './util.js';

const GRAPHQL_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;

/**
 * Every response's `Date` header comes from the simulator clock (Shopify's clock), stamped when the
 * headers go out, so a client that bounds its sync window by the server's `Date` sees simulated time.
 * Node calls `writeHead` for implicit headers too (`res.end()` without it), so this covers every answer.
 */
function dateFromSimulatorClock(state: SimulatorState, res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function stamped(this: ServerResponse, ...args: Parameters<ServerResponse['writeHead']>) {
    this.setHeader('Date', new Date(state.clock.now()).toUTCString());
    return writeHead.apply(this, args);
  } as ServerResponse['writeHead'];
}

export function createSimulatorServer(state: SimulatorState): Server {
  const server = createServer((req, res) => {
    dateFromSimulatorClock(state, res);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const handle = async (): Promise<void> => {
      const graphql = GRAPHQL_PATH.exec(path);
      if (graphql?.[1] && req.method === 'POST') return graphqlRoute(state, req, res, graphql[1], path);
      if (path === '/admin/oauth/access_token' && req.method === 'POST') return oauthRoute(state, req, res, path);
      if (path.startsWith(DOWNLOAD_PREFIX) && (req.method === 'GET' || req.method === 'HEAD')) return downloadRoute(state, req, res, url);
      if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) return controlRoute(state, req, res, url);
      sendJson(res, 404, { errors: 'Not Found' });
    };
    handle().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: 'Internal Server Error', detail: (error as Error).message });
      else res.destroy();
    });
  });
  // Longer than common clients' idle timeouts, so a client never reuses a socket the server is closing.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}

export async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
