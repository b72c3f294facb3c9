/** The GCS destination as a connector: spec, config, check and write. */
import type { Storage } from '@google-cloud/storage';
import type { Connector } from '../runtime/connector.js';
import type { RetryPolicy } from '../runtime/retry.js';
import { loadSpec } from '../runtime/spec.js';
import { checkConnection } from './check.js';
import { configureDestination, type DestinationConfig } from './config.js';
import { writeMessages, type WriteOptions } from './write.js';

export interface DestinationOptions {
  /** A prebuilt client (tests); by default one is built from the config. */
  storage?: (config: DestinationConfig) => Storage;
  /** Overrides the shared retry policy's limits (tests keep them short). */
  retry?: Partial<RetryPolicy>;
  write?: Omit<WriteOptions, 'storage' | 'retry'>;
}

export function createDestinationGcs(options: DestinationOptions = {}): Connector<DestinationConfig> {
  return {
    name: 'destination-gcs',
    spec: loadSpec('spec.destination.json'),
    configure: configureDestination,
    check(config, ctx) {
      return checkConnection(config, ctx, { ...(options.storage ? { storage: options.storage(config) } : {}), ...(options.retry ? { retry: options.retry } : {}) });
    },
    write(config, catalog, input, ctx) {
      return writeMessages(config, catalog, input, ctx, {
        ...options.write,
        ...(options.storage ? { storage: options.storage(config) } : {}),
        ...(options.retry ? { retry: options.retry } : {}),
      });
    },
  };
}

export const destinationGcs: Connector<DestinationConfig> = createDestinationGcs();
