/**
 * Errors from @google-cloud/storage carry the HTTP status as a numeric `code`. They are turned into the
 * runtime's HttpError here, so the one retry policy classifies them (429/5xx retried, 4xx not), while
 * connection faults (ECONNRESET, ...) pass through unchanged for the same classifier.
 */
import { HttpError, errorMessage } from '../../runtime/errors.js';

interface ApiErrorLike {
  code?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown> | { get?(name: string): unknown } };
}

export function httpStatusOf(err: unknown): number | undefined {
  const e = err as (ApiErrorLike & { status?: unknown; response?: { status?: unknown } }) | undefined;
  // ApiError carries a numeric `code`; GaxiosError (resumable uploads) `status` / `response.status`.
  for (const candidate of [e?.code, e?.status, e?.response?.status]) {
    const n = typeof candidate === 'string' && /^\d{3}$/.test(candidate) ? Number(candidate) : candidate;
    if (typeof n === 'number' && n >= 100 && n < 600) return n;
  }
  return undefined;
}

/** Converts a GCS API error into an HttpError (keeping the cause); other errors are returned as they are. */
export function toGcsError(err: unknown, what: string): unknown {
  if (err instanceof HttpError) return err;
  const status = httpStatusOf(err);
  if (status === undefined) return err;
  const headers = (err as ApiErrorLike).response?.headers as Record<string, unknown> & { get?(name: string): unknown } | undefined;
  const retryAfter = typeof headers?.get === 'function' ? headers.get('retry-after') : headers?.['retry-after'];
  const retryAfterMs = typeof retryAfter === 'string' && /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : undefined;
  return new HttpError(`${what}: HTTP ${status} ${errorMessage(err).slice(0, 300)}`, status, retryAfterMs, { cause: err });
}

/** What a user should change, for a failed call of a given permission; undefined when nothing specific is known. */
export function explainGcsFailure(err: unknown, permission: string, bucket: string): string {
  const status = err instanceof HttpError ? err.status : httpStatusOf(err);
  const code = String((err as { code?: unknown } | undefined)?.code ?? (err as { cause?: { code?: unknown } } | undefined)?.cause?.code ?? '');
  if (status === 401) return 'the credentials were rejected (401): check the service account key or the application default credentials';
  if (status === 403) return `permission denied (403): grant the service account ${permission} on bucket "${bucket}" (the Storage Object Admin role covers everything this connector needs)`;
  if (status === 404) return `bucket "${bucket}" was not found (404): check gcs_bucket_name and that the bucket exists in the project`;
  if (status === 400) return `the request was rejected (400): check gcs_bucket_name and gcs_bucket_path (${errorMessage(err).slice(0, 200)})`;
  if (status === 412) return 'a precondition failed (412): an object with this name already exists';
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|ETIMEDOUT|EHOSTUNREACH/.test(code) || /ECONNREFUSED|ENOTFOUND|EAI_AGAIN/.test(errorMessage(err))) {
    return `the storage endpoint could not be reached (${code || errorMessage(err)}): check gcs_endpoint and the network`;
  }
  return errorMessage(err).slice(0, 300);
}
