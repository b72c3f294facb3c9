/**
 * The standard suite over every stream in ALL_STREAMS, through the real CLI against the simulator over
 * HTTP: discover's schemas, one incremental read of everything, and per stream the schema, record, PK,
 * STATE and status checks, every message valid per the protocol schema, and the records' ids equal to
 * the simulator store's ids for the synced window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../src/simulator/index.js';
import type { ResourceType, Simulator, StoreEntry } from '../../../src/simulator/index.js';
import { ALL_STREAMS } from '../../../src/source/streams/index.js';
import { gidId } from '../../../src/source/streams/transform.js';
import type { AirbyteMessage } from '../../../src/protocol/messages.js';
import { expectValidMessages } from '../../support/protocol.js';
import { messagesOfType, runCli, writeJsonFiles } from '../../support/run-cli.js';
import { messageProblems, recordProblems, schemaProblems } from '../../support/stream-checks.js';
import type { StreamShape } from '../../support/stream-checks.js';

const DAY = 86_400_000;
// The store's records all fall between these instants, well before the sync's end (now minus the safety margin).
const START = '2024-01-01T00:00:00Z';
const END = new Date(Date.now() - 3 * DAY).toISOString();

type Rec = Record<string, unknown>;
const call = (value: unknown): unknown => (typeof value === 'function' ? (value as () => unknown)() : value);
const idOf = (value: unknown): number | null => gidId((call(value) as Rec | null)?.id);
const all = (sim: Simulator, type: ResourceType): StoreEntry[] => sim.store.list(type, { updatedAtMin: START });

/** The ids each stream must return: exactly the store's records of the window. */
const EXPECTED: Record<string, (sim: Simulator) => Array<number | string | null>> = {
  orders: (sim) => all(sim, 'orders').map((e) => gidId(e.gid)),
  products: (sim) => all(sim, 'products').map((e) => gidId(e.gid)),
  product_variants: (sim) => all(sim, 'productVariants').map((e) => gidId(e.gid)),
  customers: (sim) => all(sim, 'customers').map((e) => gidId(e.gid)),
  inventory_items: (sim) => all(sim, 'inventoryItems').map((e) => gidId(e.gid)),
  inventory_levels: (sim) => all(sim, 'inventoryLevels').map((e) => `${idOf(e.record().location)}|${idOf(e.record().item)}`),
  locations: (sim) => sim.store.list('locations').map((e) => gidId(e.gid)),
  collections: (sim) => all(sim, 'collections').map((e) => gidId(e.gid)),
  metafield_products: (sim) => all(sim, 'products').flatMap((e) => (call(e.record().metafields) as Rec[]).map((m) => gidId(m.id))),
};

const sorted = <T extends number | string | null>(values: T[]): T[] => [...values].sort((a, b) => String(a).localeCompare(String(b)));

describe('standard stream suite (real CLI, simulator over HTTP)', () => {
  let sim: Simulator;
  let catalog: Array<{ name: string; json_schema: Rec; source_defined_primary_key?: string[][]; default_cursor_field?: string[]; supported_sync_modes: string[] }>;
  let messages: AirbyteMessage[];
  let exitCode: number | null;

  beforeAll(async () => {
    sim = await startSimulator({ orders: 40, products: 6, customers: 8, locations: 3, collections: 4, startDate: START, endDate: END, fast: true });
    const config = {
      shop: sim.shop,
      credentials: { auth_method: 'api_password', api_password: sim.accessToken },
      api_base_url: sim.url,
      start_date: START.slice(0, 10),
      bulk_window_in_days: 365,
    };
    const files = writeJsonFiles({ config });
    const discovered = await runCli('source-shopify', ['discover', '--config', files.config]);
    expectValidMessages(discovered.messages);
    catalog = (messagesOfType(discovered.messages, 'CATALOG')[0]?.catalog.streams ?? []) as typeof catalog;
    const configured = {
      streams: catalog.map((s) => {
        const incremental = s.supported_sync_modes.includes('incremental');
        return {
          stream: s,
          sync_mode: incremental ? 'incremental' : 'full_refresh',
          destination_sync_mode: 'append',
          ...(incremental ? { cursor_field: s.default_cursor_field } : {}),
          primary_key: s.source_defined_primary_key,
        };
      }),
    };
    const readFiles = writeJsonFiles({ config, catalog: configured });
    const read = await runCli('source-shopify', ['read', '--config', readFiles.config, '--catalog', readFiles.catalog], { timeoutMs: 90_000 });
    messages = read.messages;
    exitCode = read.exitCode;
  }, 120_000);

  afterAll(async () => {
    await sim?.close();
  });

  it('discover lists every stream, and the read succeeds with protocol-valid messages only', () => {
    expect(catalog.map((s) => s.name).sort()).toEqual(ALL_STREAMS.map((s) => s.name).sort());
    expectValidMessages(messages);
    expect(messagesOfType(messages, 'TRACE').filter((m) => m.trace.type === 'ERROR')).toEqual([]);
    expect(exitCode).toBe(0);
  });

  for (const stream of ALL_STREAMS) {
    describe(stream.name, () => {
      const shape = (): StreamShape => {
        const entry = catalog.find((s) => s.name === stream.name);
        if (!entry) throw new Error(`${stream.name} is not in the discovered catalog`);
        return { name: entry.name, json_schema: entry.json_schema, primaryKey: entry.source_defined_primary_key ?? [], cursorField: entry.default_cursor_field };
      };
      const records = (): Rec[] => messagesOfType(messages, 'RECORD').filter((m) => m.record.stream === stream.name).map((m) => m.record.data as Rec);

      it('schema: draft-07, no $ref/allOf/not, additionalProperties true, PK and cursor in it', () => {
        expect(schemaProblems(shape())).toEqual([]);
        expect(shape().cursorField).toEqual(stream.cursorField ? [stream.cursorField] : undefined);
      });

      it('records: at least one, each valid with no extra top-level field, PKs unique and non-null', () => {
        expect(records().length).toBeGreaterThan(0);
        expect(recordProblems(shape(), records())).toEqual([]);
      });

      it('a STATE with sourceStats and statuses STARTED → RUNNING… → COMPLETE', () => {
        expect(messageProblems(stream.name, messages)).toEqual([]);
      });

      const expected = EXPECTED[stream.name];
      if (expected) {
        it("records are exactly the simulator store's records of the window", () => {
          expect(sorted(records().map((r) => r.id as number | string | null))).toEqual(sorted(expected(sim)));
        });
      } else {
        it('one record per shop', () => {
          expect(records()).toHaveLength(1);
          expect(records()[0]).toMatchObject({ shop_url: sim.shop });
        });
      }
    });
  }
});
