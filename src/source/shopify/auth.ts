/**
 * Access tokens for the three credential types. `api_password` and `oauth2.0` carry a fixed token;
 * `client_credentials` fetches one from `POST {base}/admin/oauth/access_token` (form-encoded client
 * credentials grant) and fetches a new one before the old one expires (tokens live about 24 h).
 */
import type { Credentials } from '../config.js';
import { ConfigError, HttpError, TransientError } from '../../runtime/errors.js';
import { parseRetryAfter, withRetry, type RetryPolicy } from '../../runtime/retry.js';

export interface TokenProvider {
  /** A token valid for at least the refresh margin. */
  token(): Promise<string>;
  /** Forget the cached token (after a 401), so the next call fetches a fresh one. Returns false when the token is fixed. */
  invalidate(): boolean;
}

export interface TokenProviderOptions {
  baseUrl: string;
  credentials: Credentials;
  fetch?: typeof fetch;
  now?: () => number;
  signal?: AbortSignal;
  retryPolicy?: Partial<RetryPolicy>;
  /** Renew this long before expiry (default 10 minutes, or a tenth of the lifetime if shorter). */
  refreshMarginMs?: number;
}

interface TokenResponse {
  access_token?: unknown;
  expires_in?: unknown;
}

export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const { credentials } = options;
  if (credentials.authMethod !== 'client_credentials') {
    const fixed = credentials.accessToken;
    return { token: async () => fixed, invalidate: () => false };
  }
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const margin = options.refreshMarginMs ?? 600_000;
  let cached: { token: string; renewAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  const fetchToken = async (): Promise<string> => {
    const url = `${options.baseUrl}/admin/oauth/access_token`;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
    });
    const json = await withRetry(
      async () => {
        const res = await doFetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body,
          ...(options.signal ? { signal: options.signal } : {}),
        });
        const requestId = res.headers.get('x-request-id');
        const ref = requestId ? ` (x-request-id ${requestId})` : '';
        if (res.status === 404) throw new ConfigError(`No Shopify shop answers at ${options.baseUrl} (HTTP 404 from the token endpoint)${ref}: check config.shop`);
        if (res.status === 400 || res.status === 401 || res.status === 403) {
          throw new ConfigError(
            `Shopify refused the client credentials grant (HTTP ${res.status})${ref}: check config.credentials.client_id and client_secret, and that the app is installed on the shop`,
          );
        }
        if (!res.ok) throw new HttpError(`Token request failed with HTTP ${res.status}${ref}`, res.status, parseRetryAfter(res.headers.get('retry-after')));
        try {
          return (await res.json()) as TokenResponse;
        } catch {
          throw new TransientError(`The token endpoint returned a body that is not JSON${ref}`);
        }
      },
      { operation: 'Access token request', ...(options.signal ? { signal: options.signal } : {}), ...(options.retryPolicy ? { policy: options.retryPolicy } : {}) },
    );
    if (typeof json.access_token !== 'string' || json.access_token === '') {
      throw new ConfigError('The token endpoint answered without an access_token: check config.credentials');
    }
    const lifetimeMs = typeof json.expires_in === 'number' && json.expires_in > 0 ? json.expires_in * 1000 : 86_400_000;
    cached = { token: json.access_token, renewAt: now() + lifetimeMs - Math.min(margin, lifetimeMs / 10) };
    return json.access_token;
  };

  return {
    async token() {
      if (cached && now() < cached.renewAt) return cached.token;
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate() {
      cached = undefined;
      return true;
    },
  };
}
