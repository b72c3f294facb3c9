/** The Shopify source as a connector: spec, config, and its commands. */
import type { Connector } from '../runtime/connector.js';
import { ConnectorError } from '../runtime/errors.js';
import { loadSpec } from '../runtime/spec.js';
import { configureSource, type SourceConfig } from './config.js';

export const sourceShopify: Connector<SourceConfig> = {
  name: 'source-shopify',
  spec: loadSpec('spec.source.json'),
  configure: configureSource,
  async check() {
    throw new ConnectorError('check is not available yet in this build');
  },
};
