/**
 * The Shopify Admin GraphQL client: auth, API version, cost-aware pacing, the shared retry policy.
 *
 * A thin fetch-based client rather than graphql-request: we must see the HTTP status before parsing
 * (401/404 are configuration problems, 429/5xx are retried), read response headers on every answer
 * (`x-request-id` for error messages, `X-Shopify-API-Version` to detect a version fall-forward,
 * `Retry-After`) and read `extensions.cost` on every body, including THROTTLED error bodies, where
 * graphql-request throws before the extensions can be inspected.
 */
import { setTimeout as sleepTimer } from 'node:timers/promises';
import type { Credentials } from '../config.js';
import { ConfigError, ConnectorError, HttpError, TransientError } from '../../runtime/errors.js';
import type { Logger } from '../../runtime/logger.js';
import { parseRetryAfter, withRetry, type RetryPolicy } from '../../runtime/retry.js';
import { createTokenProvider, type TokenProvider } from './auth.js';
import { createCostThrottle, type CostInfo, type CostThrottle } from './throttle.js';

export interface GraphqlResult<T> {
  data: T;
  cost: CostInfo | undefined;
  requestId: string | undefined;
}

export interface RequestOptions {
  /** Names the call in errors and retry logs ("poll of orders job"). */
  operation?: string;
  /** Estimated cost in points (default 10). */
  cost?: number;
}

export interface ShopifyClient {
  readonly baseUrl: string;
  readonly apiVersion: string;
  graphql<T>(query: string, variables?: Record<string, unknown>, options?: RequestOptions): Promise<GraphqlResult<T>>;
  /** The version Shopify says it served when it differs from the requested one (fall-forward). */
  servedVersion(): string | undefined;
  /** The server's clock from the last `Date` header, if any (ms since epoch). */
  serverTime(): number | undefined;
}

export interface ShopifyClientOptions {
  baseUrl: string;
  apiVersion: string;
  credentials: Credentials;
  logger: Logger;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  retryPolicy?: Partial<RetryPolicy>;
  tokens?: TokenProvider;
  throttle?: CostThrottle;
  now?: () => number;
}

interface GraphqlError {
  message?: string;
  extensions?: { code?: string };
}

interface GraphqlBody {
  data?: unknown;
  errors?: GraphqlError[];
  extensions?: { cost?: CostInfo };
}

export function createShopifyClient(options: ShopifyClientOptions): ShopifyClient {
  const doFetch = options.fetch ?? fetch;
  const { logger, signal, apiVersion, baseUrl } = options;
  const endpoint = `${baseUrl}/admin/api/${apiVersion}/graphql.json`;
  const tokens =
    options.tokens ??
    createTokenProvider({
      baseUrl,
      credentials: options.credentials,
      fetch: doFetch,
      ...(options.now ? { now: options.now } : {}),
      ...(signal ? { signal } : {}),
      ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
    });
  const throttle = options.throttle ?? createCostThrottle(options.now ? { now: options.now } : {});
  let served: string | undefined;
  let serverDate: number | undefined;
  const refresher = options.credentials.authMethod === 'client_credentials';

  const attempt = async <T>(query: string, variables: Record<string, unknown> | undefined, opts: RequestOptions): Promise<GraphqlResult<T>> => {
    const cost = opts.cost ?? 10;
    await throttle.acquire(cost, signal);
    let booked = cost; // released exactly once: with the reported level, or when the request fails
    try {
      return await send<T>(query, variables, opts, cost, (info) => {
        throttle.update(info, booked);
        booked = 0;
      });
    } finally {
      if (booked > 0) throttle.update(undefined, booked);
    }
  };

  const send = async <T>(
    query: string,
    variables: Record<string, unknown> | undefined,
    opts: RequestOptions,
    cost: number,
    report: (info: CostInfo | undefined) => void,
  ): Promise<GraphqlResult<T>> => {
    const token = await tokens.token();
    const res = await doFetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-shopify-access-token': token },
      body: JSON.stringify(variables ? { query, variables } : { query }),
      ...(signal ? { signal } : {}),
    });
    const requestId = res.headers.get('x-request-id') ?? undefined;
    const ref = requestId ? ` (x-request-id ${requestId})` : '';
    const date = Date.parse(res.headers.get('date') ?? '');
    if (!Number.isNaN(date)) serverDate = date;
    const version = res.headers.get('x-shopify-api-version');
    if (version && version !== apiVersion && served !== version) {
      served = version;
      logger.warn(`Shopify served API version ${version} instead of the requested ${apiVersion}: ${apiVersion} is not supported any more, set config.api_version to a supported version`);
    }
    if (res.status === 401) {
      await res.body?.cancel();
      if (refresher && tokens.invalidate()) throw new TransientError(`Shopify rejected the access token (HTTP 401)${ref}; fetching a new one`);
      throw new ConfigError(`Shopify rejected the access token (HTTP 401)${ref}: check the access token in config.credentials`);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      throw new ConfigError(`No Shopify shop or API version answers at ${endpoint} (HTTP 404)${ref}: check config.shop and config.api_version`);
    }
    if (res.status === 402 || res.status === 423) {
      await res.body?.cancel();
      throw new ConfigError(`The shop is ${res.status === 402 ? 'frozen (unpaid)' : 'locked'} (HTTP ${res.status})${ref}: the shop owner must resolve this in Shopify`);
    }
    if (res.status === 403) {
      await res.body?.cancel();
      throw new ConfigError(`Shopify refused the request (HTTP 403)${ref}: the app lacks a required access scope or the shop blocks API access`);
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new HttpError(`Shopify answered HTTP ${res.status} to ${opts.operation ?? 'a GraphQL request'}${ref}`, res.status, parseRetryAfter(res.headers.get('retry-after')));
    }
    let body: GraphqlBody;
    try {
      body = (await res.json()) as GraphqlBody;
    } catch (err) {
      throw new TransientError(`Shopify returned a response that is not JSON${ref}`, { cause: err });
    }
    const costInfo = body.extensions?.cost;
    report(costInfo);
    const errors = body.errors ?? [];
    if (errors.some((e) => e.extensions?.code === 'THROTTLED')) {
      const requested = typeof costInfo?.requestedQueryCost === 'number' ? costInfo.requestedQueryCost : cost;
      const delay = Math.max(1000, throttle.delayFor(requested));
      logger.every('graphql-throttled', 30_000, 'INFO', `Shopify throttled a request (cost ${requested}); waiting ${Math.ceil(delay / 1000)} s for the bucket to refill`);
      // A 429-class error so the one retry policy retries it after the computed delay.
      throw new HttpError(`Shopify throttled ${opts.operation ?? 'a GraphQL request'}${ref}`, 429, delay);
    }
    if (errors.length > 0) {
      const text = errors.map((e) => e.message ?? JSON.stringify(e)).join('; ');
      const codes = errors.map((e) => e.extensions?.code);
      if (codes.includes('ACCESS_DENIED')) {
        throw new ConfigError(`Shopify denied access in ${opts.operation ?? 'a GraphQL request'}${ref}: ${text}. Grant the app the access scope it needs`);
      }
      if (codes.some((c) => c === 'INTERNAL_SERVER_ERROR' || c === 'SERVICE_UNAVAILABLE')) {
        throw new TransientError(`Shopify reported an internal error in ${opts.operation ?? 'a GraphQL request'}${ref}: ${text}`);
      }
      throw new ConnectorError(`Shopify rejected ${opts.operation ?? 'a GraphQL request'}${ref}: ${text}`);
    }
    if (body.data === undefined || body.data === null) throw new TransientError(`Shopify returned no data${ref}`);
    return { data: body.data as T, cost: costInfo, requestId };
  };

  return {
    baseUrl,
    apiVersion,
    graphql(query, variables, opts = {}) {
      return withRetry(() => attempt(query, variables, opts), {
        operation: opts.operation ?? 'GraphQL request',
        ...(signal ? { signal } : {}),
        ...(options.retryPolicy ? { policy: options.retryPolicy } : {}),
        onRetry: ({ attempt: n, delayMs, error }) =>
          logger.every(`retry:${opts.operation ?? 'graphql'}`, 10_000, 'INFO', `Retrying ${opts.operation ?? 'GraphQL request'} in ${Math.ceil(delayMs / 1000)} s (attempt ${n}): ${error instanceof Error ? error.message : String(error)}`),
      });
    },
    servedVersion: () => served,
    serverTime: () => serverDate,
  };
}

export const sleep = (ms: number, signal?: AbortSignal): Promise<void> => sleepTimer(ms, undefined, signal ? { signal } : {});
