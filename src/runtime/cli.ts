/**
 * The CLI runner shared by both connectors (Airbyte argument conventions). It validates inputs at the
 * edge, runs the command, writes every message through the one writer with secrets redacted, and turns
 * any error into one TRACE error message plus a non-zero exit.
 */
import { Command } from 'commander';
import { connectionStatusMessage, errorTraceMessage, specMessage, catalogMessage, type AirbyteMessage, type ConfiguredAirbyteCatalog } from '../protocol/messages.js';
import { createMessageWriter, type MessageWriter } from '../protocol/writer.js';
import { readMessages } from '../protocol/reader.js';
import { SerializedRecords, type OutputMessage } from '../protocol/serialized.js';
import { LineFormatError } from '../protocol/lines.js';
import type { CommandContext, Connector } from './connector.js';
import { ConfigError, ConnectorError, asConnectorError } from './errors.js';
import { readJsonFile } from './files.js';
import { createLogger } from './logger.js';
import { protocolDefinition } from './protocol-schema.js';
import { collectSecrets, createRedactor, redactStream, type Redactor } from './redact.js';
import { loadInputValidator } from './precompiled.js';

interface Session {
  writer: MessageWriter;
  redact: Redactor;
  ctx: CommandContext;
}

/** Grace period between SIGTERM/SIGINT (commands abort and clean up) and a forced exit. */
const SHUTDOWN_GRACE_MS = 10_000;
/**
 * Grace period between a failed command's reported error and a forced exit: a connection that cannot
 * be closed from here (a dropped upload's request, which its client library leaves open) must not keep
 * the process alive after the sync has ended.
 */
const FAILED_EXIT_GRACE_MS = 2_000;

function createSession(redactRef: { current: Redactor }): Session {
  const controller = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      controller.abort(new ConnectorError(`Stopped by ${sig}`));
      setTimeout(() => process.exit(128 + (sig === 'SIGTERM' ? 15 : 2)), SHUTDOWN_GRACE_MS).unref();
    });
  }
  // The reader of our stdout went away (e.g. `| head`): nothing more can be delivered, stop quietly.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 1);
    throw err;
  });
  const writer = createMessageWriter(process.stdout, {
    transform: (m) => (m.type === 'RECORD' || m.type === 'STATE' ? m : (JSON.parse(redactRef.current(JSON.stringify(m))) as AirbyteMessage)),
  });
  return { writer, redact: (t) => redactRef.current(t), ctx: { logger: createLogger(writer, { debug: process.env.LOG_LEVEL === 'debug' }), signal: controller.signal } };
}

async function emitAll(writer: MessageWriter, messages: AsyncIterable<OutputMessage>): Promise<void> {
  for await (const message of messages) {
    // Our stdout is done with bytes once their write completes (a file, pipe or socket has them then),
    // so serialised records can go back for reuse.
    const wait = message instanceof SerializedRecords ? writer.writeSerialized(message.bytes, message.release) : writer.write(message);
    if (wait) await wait;
  }
}

function toConnectorError(err: unknown): ConnectorError {
  return err instanceof LineFormatError ? new ConfigError(`Invalid input on stdin, ${err.message}`) : asConnectorError(err);
}

function toTrace(err: unknown): AirbyteMessage {
  const e = toConnectorError(err);
  const unexpected = !(err instanceof ConnectorError) && !(err instanceof LineFormatError);
  return errorTraceMessage({
    message: e.message,
    failure_type: e.failureType,
    ...(e.internalMessage ? { internal_message: e.internalMessage } : {}),
    ...(unexpected && err instanceof Error && err.stack ? { stack_trace: err.stack } : {}),
    ...(e.stream ? { stream_descriptor: { name: e.stream } } : {}),
  });
}

export async function runCli<Config>(connector: Connector<Config>, argv: string[] = process.argv): Promise<void> {
  const redactRef = { current: ((t: string) => t) as Redactor };
  redactStream(process.stderr, (t) => redactRef.current(t));
  const session = createSession(redactRef);
  const { writer, ctx } = session;
  const specSchema = connector.spec.connectionSpecification;
  const validateConfig = (raw: unknown): Promise<Record<string, unknown>> =>
    loadInputValidator<Record<string, unknown>>(specSchema, 'config', { useDefaults: true }).then((validate) => validate(raw));
  const knownFields = new Set(Object.keys((specSchema as { properties?: object }).properties ?? {}));

  const loadConfig = async (path: string): Promise<Config> => {
    const raw = await readJsonFile(path, 'config');
    // Mask secrets before anything could echo the config, even when it is invalid.
    redactRef.current = createRedactor(collectSecrets(specSchema, raw));
    const valid = await validateConfig(raw);
    // Extra fields are tolerated (configs move between connector versions), but a typo must not pass silently.
    for (const key of Object.keys(valid)) {
      if (knownFields.size > 0 && !knownFields.has(key)) ctx.logger.warn(`config.${key} is not a field of this connector's config; it is ignored`);
    }
    return connector.configure(valid);
  };
  const loadCatalog = async (path: string): Promise<ConfiguredAirbyteCatalog> => {
    const validate = await loadInputValidator<ConfiguredAirbyteCatalog>(protocolDefinition('ConfiguredAirbyteCatalog'), 'catalog');
    return validate(await readJsonFile(path, 'catalog'));
  };

  const run = async (body: () => Promise<void>): Promise<void> => {
    // Work that can no longer progress (every task waiting on another, nothing left in the event loop)
    // would otherwise end with Node's silent exit code 13: make it one clear error instead.
    const stalled = (): void =>
      crash(new ConnectorError('internal error: the command stopped with work left and nothing to wait for (a stall in the connector); no state was emitted past the data already read, so run the sync again and report this', { failureType: 'system_error' }));
    process.once('beforeExit', stalled);
    try {
      await body();
      await writer.flush();
    } catch (err) {
      await writer.write(toTrace(err));
      await writer.flush();
      process.stderr.write(`${connector.name}: ${toConnectorError(err).message}\n`);
      process.exitCode = 1;
      setTimeout(() => process.exit(), FAILED_EXIT_GRACE_MS).unref();
    } finally {
      process.off('beforeExit', stalled);
    }
  };

  // Last resort: an error that escaped every command still ends as one TRACE message and exit 1.
  const crash = (err: unknown): void => {
    void writer.write(toTrace(err));
    void writer.flush().finally(() => process.exit(1));
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);

  const program = new Command(connector.name).description(connector.spec.documentationUrl ?? connector.name).showHelpAfterError();
  program.command('spec').description('print the connector specification').action(() => run(async () => void writer.write(specMessage(connector.spec))));
  program
    .command('check')
    .description('validate the config and test the connection')
    .requiredOption('--config <file>', 'config JSON file')
    .action((o: { config: string }) =>
      run(async () => {
        let status;
        try {
          status = await connector.check(await loadConfig(o.config), ctx);
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
          status = { status: 'FAILED' as const, message: err.message };
        }
        await writer.write(connectionStatusMessage(status.status, status.message));
      }),
    );
  if (connector.discover) {
    const discover = connector.discover.bind(connector);
    program
      .command('discover')
      .description('print the catalog of streams')
      .requiredOption('--config <file>', 'config JSON file')
      .action((o: { config: string }) => run(async () => void writer.write(catalogMessage(await discover(await loadConfig(o.config), ctx)))));
  }
  if (connector.read) {
    const read = connector.read.bind(connector);
    program
      .command('read')
      .description('read records and emit them with state')
      .requiredOption('--config <file>', 'config JSON file')
      .requiredOption('--catalog <file>', 'configured catalog JSON file')
      .option('--state <file>', 'state JSON file from a previous sync')
      .action((o: { config: string; catalog: string; state?: string }) =>
        run(async () => {
          const config = await loadConfig(o.config);
          const catalog = await loadCatalog(o.catalog);
          const state = o.state ? await readJsonFile(o.state, 'state') : undefined;
          await emitAll(writer, read(config, catalog, state, ctx));
        }),
      );
  }
  if (connector.write) {
    const write = connector.write.bind(connector);
    program
      .command('write')
      .description('consume Airbyte messages on stdin and write them')
      .requiredOption('--config <file>', 'config JSON file')
      .requiredOption('--catalog <file>', 'configured catalog JSON file')
      .action((o: { config: string; catalog: string }) =>
        run(async () => {
          const config = await loadConfig(o.config);
          const catalog = await loadCatalog(o.catalog);
          await emitAll(writer, write(config, catalog, readMessages(process.stdin), ctx));
        }),
      );
  }
  await program.parseAsync(argv);
}
