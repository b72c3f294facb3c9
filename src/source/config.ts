/**
 * The source's typed configuration: the spec-valid JSON (defaults applied) normalised into what the
 * client and the scheduler need. Every problem is a ConfigError naming the field.
 */
import { ConfigError } from '../runtime/errors.js';

export type Credentials =
  | { authMethod: 'api_password'; accessToken: string }
  | { authMethod: 'oauth2.0'; accessToken: string; clientId?: string; clientSecret?: string }
  | { authMethod: 'client_credentials'; clientId: string; clientSecret: string };

export interface SourceConfig {
  /** The shop handle (`my-store`), as written to every record's `shop_url`. */
  shop: string;
  /** `https://{shop}.myshopify.com` or the configured `api_base_url`, without a trailing slash. */
  baseUrl: string;
  credentials: Credentials;
  startDate: Date;
  bulkWindowDays: number;
  jobTerminationThresholdSeconds: number;
  jobCheckpointInterval: number;
  lookbackWindowDays: number;
  apiVersion: string;
  maxConcurrentBulkOperations: number;
}

const HANDLE = /^[a-z0-9][a-z0-9-]*$/i;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Accepts `my-store`, `my-store.myshopify.com`, `https://my-store.myshopify.com/admin` and returns `my-store`. */
export function normalizeShop(input: string): string {
  let value = input.trim().toLowerCase();
  if (/^https?:\/\//.test(value)) {
    try {
      value = new URL(value).hostname;
    } catch {
      throw new ConfigError(`config.shop is not a valid shop URL: "${input}"`);
    }
  }
  value = value.replace(/\/.*$/, '').replace(/\.myshopify\.com$/, '');
  if (!HANDLE.test(value)) {
    throw new ConfigError(`config.shop must be a shop handle like "my-store" or "my-store.myshopify.com", got "${input}"`);
  }
  return value;
}

function baseUrlFor(shop: string, apiBaseUrl: unknown): string {
  if (typeof apiBaseUrl !== 'string' || apiBaseUrl === '') return `https://${shop}.myshopify.com`;
  let url: URL;
  try {
    url = new URL(apiBaseUrl);
  } catch {
    throw new ConfigError(`config.api_base_url is not a valid URL: "${apiBaseUrl}"`);
  }
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname) && !url.hostname.startsWith('127.')) {
    throw new ConfigError('config.api_base_url may use plain http only for loopback hosts (localhost, 127.0.0.1, [::1]); use https');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('config.api_base_url must be an http(s) URL');
  return url.toString().replace(/\/+$/, '');
}

function credentialsFrom(raw: Record<string, unknown>): Credentials {
  const str = (key: string): string | undefined => (typeof raw[key] === 'string' && raw[key] !== '' ? (raw[key] as string) : undefined);
  const need = (key: string, method: string): string => {
    const v = str(key);
    if (!v) throw new ConfigError(`config.credentials.${key} is required when auth_method is "${method}"`);
    return v;
  };
  switch (raw.auth_method) {
    case 'api_password':
      return { authMethod: 'api_password', accessToken: need('api_password', 'api_password') };
    case 'access_token': // legacy value still accepted by Airbyte's connector
      return { authMethod: 'api_password', accessToken: need('access_token', 'access_token') };
    case 'oauth2.0': {
      const clientId = str('client_id');
      const clientSecret = str('client_secret');
      return { authMethod: 'oauth2.0', accessToken: need('access_token', 'oauth2.0'), ...(clientId ? { clientId } : {}), ...(clientSecret ? { clientSecret } : {}) };
    }
    case 'client_credentials':
      return { authMethod: 'client_credentials', clientId: need('client_id', 'client_credentials'), clientSecret: need('client_secret', 'client_credentials') };
    default:
      throw new ConfigError('config.credentials.auth_method must be one of "oauth2.0", "api_password", "client_credentials"');
  }
}

/** Bulk operations may run 5 at a time from API 2026-01 (reference notes §0), 1 before. */
export function defaultConcurrency(apiVersion: string): number {
  return apiVersion >= '2026-01' ? 5 : 1;
}

export function configureSource(raw: Record<string, unknown>): SourceConfig {
  const shop = normalizeShop(String(raw.shop));
  if (typeof raw.credentials !== 'object' || raw.credentials === null) {
    throw new ConfigError('config.credentials is required: choose an authorization method (api_password, oauth2.0 or client_credentials)');
  }
  const startDate = new Date(`${String(raw.start_date ?? '2020-01-01')}T00:00:00Z`);
  if (Number.isNaN(startDate.getTime())) throw new ConfigError(`config.start_date is not a valid date: "${String(raw.start_date)}"`);
  if (startDate.getTime() > Date.now()) throw new ConfigError(`config.start_date ${String(raw.start_date)} is in the future: no record could be read`);
  const apiVersion = String(raw.api_version ?? '2026-07');
  const concurrency = typeof raw.max_concurrent_bulk_operations === 'number' ? raw.max_concurrent_bulk_operations : defaultConcurrency(apiVersion);
  if (concurrency > defaultConcurrency(apiVersion)) {
    throw new ConfigError(`config.max_concurrent_bulk_operations is ${concurrency}, but API ${apiVersion} allows ${defaultConcurrency(apiVersion)} bulk operation(s) at a time`);
  }
  return {
    shop,
    baseUrl: baseUrlFor(shop, raw.api_base_url),
    credentials: credentialsFrom(raw.credentials as Record<string, unknown>),
    startDate,
    bulkWindowDays: Number(raw.bulk_window_in_days ?? 30),
    jobTerminationThresholdSeconds: Number(raw.job_termination_threshold ?? 7200),
    jobCheckpointInterval: Number(raw.job_checkpoint_interval ?? 100_000),
    lookbackWindowDays: Number(raw.lookback_window_in_days ?? 0),
    apiVersion,
    maxConcurrentBulkOperations: concurrency,
  };
}
