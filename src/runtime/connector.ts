/** What a connector is: plain async functions and generators; the CLI runner drives them. */
import type {
  AirbyteCatalog,
  AirbyteConnectionStatus,
  AirbyteMessage,
  ConfiguredAirbyteCatalog,
  ConnectorSpecification,
} from '../protocol/messages.js';
import type { ReadMessage } from '../protocol/reader.js';
import type { OutputMessage } from '../protocol/serialized.js';
import type { Logger } from './logger.js';

export interface CommandContext {
  logger: Logger;
  /** Aborted on SIGTERM/SIGINT: long operations stop and clean up. */
  signal: AbortSignal;
}

export interface Connector<Config> {
  /** e.g. `source-shopify`; prefixes messages on stderr. */
  name: string;
  spec: ConnectorSpecification;
  /** Turns a spec-valid config (defaults applied) into the connector's typed config; throws ConfigError. */
  configure(config: Record<string, unknown>): Config;
  check(config: Config, ctx: CommandContext): Promise<AirbyteConnectionStatus>;
  discover?(config: Config, ctx: CommandContext): Promise<AirbyteCatalog>;
  read?(config: Config, catalog: ConfiguredAirbyteCatalog, state: unknown, ctx: CommandContext): AsyncIterable<OutputMessage>;
  write?(config: Config, catalog: ConfiguredAirbyteCatalog, input: AsyncIterable<ReadMessage>, ctx: CommandContext): AsyncIterable<AirbyteMessage>;
}
