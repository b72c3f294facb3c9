/**
 * The one error hierarchy. Its fields tell the runner what to do: `failureType` becomes the TRACE
 * error's failure_type, `message` is shown to the user, `internalMessage` carries technical detail.
 */
import type { FailureType } from '../protocol/messages.js';

export interface ConnectorErrorOptions {
  failureType?: FailureType;
  internalMessage?: string;
  stream?: string;
  cause?: unknown;
}

export class ConnectorError extends Error {
  readonly failureType: FailureType;
  readonly internalMessage: string | undefined;
  readonly stream: string | undefined;

  constructor(message: string, options: ConnectorErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.failureType = options.failureType ?? 'system_error';
    this.internalMessage = options.internalMessage;
    this.stream = options.stream;
  }
}

/** The user's configuration (config, catalog, state, credentials, permissions) must change. */
export class ConfigError extends ConnectorError {
  constructor(message: string, options: Omit<ConnectorErrorOptions, 'failureType'> = {}) {
    super(message, { ...options, failureType: 'config_error' });
    this.name = 'ConfigError';
  }
}

/** Retrying the sync later is expected to succeed (network, rate limits, upstream 5xx). */
export class TransientError extends ConnectorError {
  constructor(message: string, options: Omit<ConnectorErrorOptions, 'failureType'> = {}) {
    super(message, { ...options, failureType: 'transient_error' });
    this.name = 'TransientError';
  }
}

/** An HTTP response that was not a success; carries what the retry policy needs to classify it. */
export class HttpError extends ConnectorError {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number,
    options: ConnectorErrorOptions = {},
  ) {
    super(message, { failureType: status >= 500 || status === 429 || status === 408 ? 'transient_error' : 'system_error', ...options });
    this.name = 'HttpError';
  }
}

export function asConnectorError(err: unknown): ConnectorError {
  if (err instanceof ConnectorError) return err;
  if (err instanceof Error) {
    return new ConnectorError(`Unexpected error: ${err.message}`, { internalMessage: err.stack ?? err.message, cause: err });
  }
  return new ConnectorError(`Unexpected error: ${String(err)}`);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
