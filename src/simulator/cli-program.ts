/** The `shopify-simulator` command line: options and their mapping to SimulatorOptions. */
import { Command, InvalidArgumentError, Option } from 'commander';
import type { FaultRule } from './faults.js';
import type { SimulatorOptions } from './simulator.js';

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a non-negative number');
  return n;
}

function fault(value: string, previous: FaultRule[] = []): FaultRule[] {
  try {
    const rule = JSON.parse(value) as FaultRule;
    if (!rule || typeof rule !== 'object' || !rule.action) throw new Error('missing action');
    return [...previous, rule];
  } catch (error) {
    throw new InvalidArgumentError(`expected a JSON fault rule (${(error as Error).message})`);
  }
}

export function buildProgram(): Command {
  return new Command('shopify-simulator')
    .description('A local Shopify Admin GraphQL API: real schemas, bulk operations, JSONL results, cost throttling and injectable faults.')
    .addOption(new Option('--port <n>', 'TCP port on 127.0.0.1 (0 picks a free port)').argParser(integer).default(0))
    .addOption(new Option('--seed <n>', 'seed of the generated store').argParser(integer).default(1))
    .addOption(new Option('--orders <n>', 'number of orders; other sizes scale with it').argParser(integer).default(1000))
    .addOption(new Option('--products <n>', 'number of products (default orders/10)').argParser(integer))
    .addOption(new Option('--customers <n>', 'number of customers (default orders/4)').argParser(integer))
    .addOption(new Option('--locations <n>', 'number of locations, at most 32').argParser(integer).default(5))
    .addOption(new Option('--collections <n>', 'number of collections (default products/25, 4..500)').argParser(integer))
    .addOption(new Option('--shop <handle>', 'shop handle').default('simulator-shop'))
    .addOption(new Option('--shop-currency <code>', 'shop currency').default('USD'))
    .addOption(new Option('--access-token <token>', 'access token with every scope').default('simulator-token'))
    .addOption(new Option('--client-id <id>', 'client id accepted by the client-credentials grant').default('simulator-client-id'))
    .addOption(new Option('--client-secret <secret>', 'client secret accepted by the client-credentials grant').default('simulator-client-secret'))
    .addOption(new Option('--start-date <iso>', 'generated records are created from this instant').default('2021-01-01T00:00:00Z'))
    .addOption(new Option('--end-date <iso>', 'generated records are created and updated before this instant').default('2026-06-30T00:00:00Z'))
    .addOption(new Option('--fast', 'bulk jobs complete as soon as their file is written'))
    .addOption(new Option('--created-ms <n>', 'simulated time a job stays CREATED').argParser(number))
    .addOption(new Option('--running-ms <n>', 'minimum simulated RUNNING time').argParser(number))
    .addOption(new Option('--per-object-ms <n>', 'extra simulated RUNNING time per result object').argParser(number))
    .addOption(new Option('--cancel-ms <n>', 'simulated time from CANCELING to CANCELED').argParser(number))
    .addOption(new Option('--url-ttl-ms <n>', 'lifetime of result URLs (default 7 days)').argParser(number))
    .addOption(new Option('--throttle-max <n>', 'cost bucket size per token').argParser(number).default(2000))
    .addOption(new Option('--throttle-restore <n>', 'cost points restored per second').argParser(number).default(100))
    .addOption(new Option('--clock-start <iso>', 'start the simulator clock at this instant (default: now)'))
    .addOption(new Option('--fault <json>', 'inject a fault rule, repeatable, e.g. \'{"match":"poll","action":{"type":"http","status":503},"count":2}\'').argParser(fault))
    .addOption(new Option('--supported-versions <list>', 'comma-separated API versions served (others fall forward to the oldest)'));
}

interface CliValues {
  port: number; seed: number; orders: number; products?: number; customers?: number; locations: number;
  collections?: number; shop: string; shopCurrency: string; accessToken: string; clientId: string; clientSecret: string;
  startDate: string; endDate: string; fast?: boolean; createdMs?: number; runningMs?: number; perObjectMs?: number;
  cancelMs?: number; urlTtlMs?: number; throttleMax: number; throttleRestore: number; clockStart?: string;
  fault?: FaultRule[]; supportedVersions?: string;
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function optionsFrom(values: CliValues): SimulatorOptions {
  return {
    port: values.port, seed: values.seed, orders: values.orders, locations: values.locations,
    shop: values.shop, shopCurrency: values.shopCurrency, accessToken: values.accessToken,
    clientId: values.clientId, clientSecret: values.clientSecret, startDate: values.startDate, endDate: values.endDate,
    fast: values.fast === true,
    timings: defined({ createdMs: values.createdMs, runningMs: values.runningMs, perObjectMs: values.perObjectMs, cancelMs: values.cancelMs, urlTtlMs: values.urlTtlMs }),
    throttle: { maximumAvailable: values.throttleMax, restoreRate: values.throttleRestore },
    faults: values.fault ?? [],
    ...defined({ products: values.products, customers: values.customers, collections: values.collections, clockStart: values.clockStart }),
    ...(values.supportedVersions ? { supportedVersions: values.supportedVersions.split(',').map((v) => v.trim()) } : {}),
  };
}

export function parseCli(argv: readonly string[]): SimulatorOptions {
  const program = buildProgram();
  program.parse(argv as string[], { from: 'user' });
  return optionsFrom(program.opts<CliValues>());
}
