/** The Shopify source as a connector: spec, config, and its commands. */
import type { Connector } from '../runtime/connector.js';
import { loadSpec } from '../runtime/spec.js';
import { checkConnection } from './check.js';
import { configureSource, type SourceConfig } from './config.js';
import { createSourceDeps, type DepsOverrides } from './deps.js';
import { discoverCatalog } from './discover.js';
import { readStreams } from './read.js';
import { ALL_STREAMS } from './streams/index.js';
import type { StreamDefinition } from './streams/define.js';

export interface SourceOptions {
  /** The streams offered (default ALL_STREAMS); tests pass their own. */
  streams?: readonly StreamDefinition[];
  deps?: DepsOverrides;
}

export function createSourceShopify(options: SourceOptions = {}): Connector<SourceConfig> {
  const streams = options.streams ?? ALL_STREAMS;
  return {
    name: 'source-shopify',
    spec: loadSpec('spec.source.json'),
    configure: configureSource,
    async check(config, ctx) {
      return checkConnection(createSourceDeps(config, ctx, options.deps, true).client);
    },
    async discover(config, ctx) {
      return discoverCatalog(createSourceDeps(config, ctx, options.deps, true).client, streams, ctx.logger);
    },
    read(config, catalog, state, ctx) {
      const deps = createSourceDeps(config, ctx, options.deps);
      return readStreams({ config, catalog, state, ctx, deps, ...(options.streams ? { streams: options.streams } : {}) });
    },
  };
}

export const sourceShopify: Connector<SourceConfig> = createSourceShopify();
