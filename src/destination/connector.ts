/** The GCS destination as a connector: spec, config, and its commands. */
import type { Connector } from '../runtime/connector.js';
import { ConnectorError } from '../runtime/errors.js';
import { loadSpec } from '../runtime/spec.js';
import { configureDestination, type DestinationConfig } from './config.js';

export const destinationGcs: Connector<DestinationConfig> = {
  name: 'destination-gcs',
  spec: loadSpec('spec.destination.json'),
  configure: configureDestination,
  async check() {
    throw new ConnectorError('check is not available yet in this build');
  },
};
