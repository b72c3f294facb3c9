/**
 * Builds the @google-cloud/storage client from the destination config. The library is loaded when a
 * client is first built, which `spec` (and an invalid config) never needs, and through its CommonJS
 * build: Node 20 loads that one in ~0.25 s of CPU, against ~0.45 s for its ES module build (resolving
 * and linking each of its ES modules costs more than `require` does). Every value of the library
 * comes from here, so no object of one build meets a class of the other.
 */
import { createRequire } from 'node:module';
import type { Storage, StorageOptions } from '@google-cloud/storage';
import type { DestinationConfig } from '../config.js';

type StorageLibrary = typeof import('@google-cloud/storage');

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

export async function createStorage(config: Pick<DestinationConfig, 'credential' | 'endpoint' | 'projectId'>): Promise<Storage> {
  const { Storage } = createRequire(import.meta.url)('@google-cloud/storage') as StorageLibrary;
  const options: StorageOptions = {
    // The connector retries with the shared policy (runtime/retry.ts); the client's own retries are off.
    retryOptions: { autoRetry: false, maxRetries: 0 },
  };
  if (config.credential.type === 'SERVICE_ACCOUNT_KEY') {
    const key = config.credential.key;
    options.credentials = { client_email: String(key.client_email), private_key: String(key.private_key) };
    if (typeof key.project_id === 'string') options.projectId = key.project_id;
  }
  if (config.projectId) options.projectId = config.projectId;
  if (config.endpoint) {
    options.apiEndpoint = config.endpoint;
    // Emulators on loopback take no credentials; a private endpoint elsewhere still needs them.
    options.useAuthWithCustomEndpoint = !isLoopback(config.endpoint);
    options.projectId ??= 'local-project';
  }
  return new Storage(options);
}
