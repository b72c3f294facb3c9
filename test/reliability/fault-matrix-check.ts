/**
 * The fault matrix's judge. From the simulator's store it computes, per stream, which records a sync
 * of the window must deliver (and the instant each one's window is chosen by); from a finished
 * pipeline it gathers what is in GCS, the last STATE the destination echoed per stream and the
 * source's TRACE errors; `judge` then says, per stream, which of the two allowed outcomes happened:
 *   a  every record of the window is in GCS;
 *   b  the sync failed with a TRACE error naming the stream (and its window), and the last echoed
 *      STATE covers no missing record;
 * or why it is neither (a violation). Pure over plain data, so it is tested on wrong cases too.
 */
import { gunzipSync } from 'node:zlib';
import type { Storage } from '@google-cloud/storage';
import type { AirbyteMessage } from '../../src/protocol/messages.js';
import type { ResourceType, Simulator, StoreEntry } from '../../src/simulator/index.js';
import { ALL_STREAMS } from '../../src/source/streams/index.js';
import { gidId } from '../../src/source/streams/transform.js';

type Rec = Record<string, unknown>;

/** One record a stream must deliver: its key (the record's `id` as a string) and the instant its window is chosen by. */
export interface ExpectedRecord {
  key: string;
  /** ms; undefined for streams without a cursor (read whole every time). */
  at: number | undefined;
}

export interface StreamExpectation {
  /** Records of the synced window. */
  inWindow: ExpectedRecord[];
  /** Every record the store has for the stream (in or out of the window). */
  all: ExpectedRecord[];
}

const call = (value: unknown): unknown => (typeof value === 'function' ? (value as () => unknown)() : value);
const idOf = (value: unknown): number | null => gidId((call(value) as Rec | null)?.id);
const ms = (iso: string): number => Date.parse(iso);

/** The shop stream has one record; it has no id to match on, so its key is fixed. */
export const SHOP_KEY = 'shop';

function entries(sim: Simulator, type: ResourceType): StoreEntry[] {
  return sim.store.list(type);
}

const simple = (type: ResourceType) => (sim: Simulator): ExpectedRecord[] => entries(sim, type).map((e) => ({ key: String(gidId(e.gid)), at: ms(e.updatedAt) }));

/** Per stream, every record the store holds, keyed like the record's `id`, with the instant the source's window filter uses. */
const STORE_RECORDS: Record<string, (sim: Simulator) => ExpectedRecord[]> = {
  orders: simple('orders'),
  products: simple('products'),
  product_variants: simple('productVariants'),
  customers: simple('customers'),
  inventory_items: simple('inventoryItems'),
  collections: simple('collections'),
  inventory_levels: (sim) => entries(sim, 'inventoryLevels').map((e) => ({ key: `${idOf(e.record().location)}|${idOf(e.record().item)}`, at: ms(e.updatedAt) })),
  // One record per metafield; the window is chosen by the product's updated_at.
  metafield_products: (sim) =>
    entries(sim, 'products').flatMap((e) => (call(e.record().metafields) as Rec[]).map((m) => ({ key: String(gidId(m.id)), at: ms(e.updatedAt) }))),
  locations: (sim) => entries(sim, 'locations').map((e) => ({ key: String(gidId(e.gid)), at: undefined })),
  shop: () => [{ key: SHOP_KEY, at: undefined }],
};

if (Object.keys(STORE_RECORDS).sort().join() !== ALL_STREAMS.map((s) => s.name).sort().join()) {
  throw new Error('the fault matrix judge must know every stream in ALL_STREAMS');
}

/** What each stream must deliver for a sync of [start, end). */
export function expectations(sim: Simulator, start: number, end: number): Map<string, StreamExpectation> {
  const out = new Map<string, StreamExpectation>();
  for (const [stream, list] of Object.entries(STORE_RECORDS)) {
    const all = list(sim);
    out.set(stream, { all, inWindow: all.filter((r) => r.at === undefined || (r.at >= start && r.at < end)) });
  }
  return out;
}

/** Record keys per stream in the bucket (JSONL, gzipped or not), read back through the GCS client. */
export async function recordsInGcs(storage: Storage, bucket: string, prefix: string, shop: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const [files] = await storage.bucket(bucket).getFiles({ prefix });
  for (const file of files) {
    const stream = file.name.slice(prefix.length).split('/')[0]!;
    const [buf] = await file.download();
    const text = (file.name.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
    const keys = out.get(stream) ?? [];
    for (const line of text.split('\n')) {
      if (line === '') continue;
      const data = (JSON.parse(line) as { _airbyte_data: Rec })._airbyte_data;
      keys.push(stream === 'shop' ? (data.shop_url === shop ? SHOP_KEY : `shop:${String(data.shop_url)}`) : String(data.id));
    }
    out.set(stream, keys);
  }
  return out;
}

/** The cursor (ms) of the last STATE the destination echoed per stream; null when a state without a cursor was echoed. */
export function echoedCursors(destinationMessages: readonly AirbyteMessage[], cursorField = 'updated_at'): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const m of destinationMessages) {
    if (m.type !== 'STATE' || m.state.type !== 'STREAM' || !m.state.stream) continue;
    const value = (m.state.stream.stream_state as Rec | undefined)?.[cursorField];
    out.set(m.state.stream.stream_descriptor.name, typeof value === 'string' ? Date.parse(value) : null);
  }
  return out;
}

/** The source's TRACE error messages. */
export function errorTraces(sourceMessages: readonly AirbyteMessage[]): Array<{ stream: string | undefined; message: string; failureType?: string }> {
  return sourceMessages.flatMap((m) =>
    m.type === 'TRACE' && m.trace.type === 'ERROR' && m.trace.error
      ? [{ stream: m.trace.error.stream_descriptor?.name, message: m.trace.error.message, ...(m.trace.error.failure_type ? { failureType: m.trace.error.failure_type } : {}) }]
      : [],
  );
}

/** `[2024-01-01T00:00:00Z, 2024-02-01T00:00:00Z)`: how the source names a window. */
const WINDOW = /\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ, \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)/;

export interface Observation {
  expected: Map<string, StreamExpectation>;
  inGcs: Map<string, string[]>;
  echoed: Map<string, number | null>;
  errors: Array<{ stream: string | undefined; message: string; failureType?: string }>;
  sourceExit: number | null;
  /** Streams read by date windows (a failure must name the window). */
  windowed: ReadonlySet<string>;
}

export type Verdict =
  | { outcome: 'a'; duplicates: number }
  | { outcome: 'b'; missing: number; duplicates: number }
  | { outcome: 'violation'; reason: string };

const sample = (keys: string[]): string => `${keys.slice(0, 5).join(', ')}${keys.length > 5 ? `, … (${keys.length})` : ''}`;

/** The verdict for one stream. */
export function judgeStream(stream: string, o: Observation): Verdict {
  const expected = o.expected.get(stream);
  if (!expected) return { outcome: 'violation', reason: `no expectation for stream ${stream}` };
  const got = o.inGcs.get(stream) ?? [];
  const have = new Set(got);
  const duplicates = got.length - have.size;
  const known = new Set(expected.all.map((r) => r.key));
  const window = new Set(expected.inWindow.map((r) => r.key));
  const unknown = [...have].filter((k) => !known.has(k));
  if (unknown.length > 0) return { outcome: 'violation', reason: `records in GCS that the store does not have: ${sample(unknown)}` };
  const outside = [...have].filter((k) => !window.has(k));
  if (outside.length > 0) return { outcome: 'violation', reason: `records in GCS from outside the synced window: ${sample(outside)}` };
  // Whatever the outcome, the last echoed STATE must not claim a record that is not in GCS.
  const cursor = o.echoed.get(stream);
  if (typeof cursor === 'number') {
    const claimed = expected.all.filter((r) => r.at !== undefined && r.at < cursor && !have.has(r.key));
    if (claimed.length > 0) {
      return { outcome: 'violation', reason: `the last echoed STATE (${new Date(cursor).toISOString()}) covers ${claimed.length} record(s) missing from GCS: ${sample(claimed.map((r) => r.key))}` };
    }
  }
  const missing = expected.inWindow.filter((r) => !have.has(r.key));
  if (missing.length === 0) return { outcome: 'a', duplicates };
  if (o.sourceExit === 0) return { outcome: 'violation', reason: `silent loss: the sync succeeded but ${missing.length} record(s) are missing: ${sample(missing.map((r) => r.key))}` };
  const word = new RegExp(`(^|[^a-z_])${stream}([^a-z_]|$)`);
  const named = o.errors.filter((e) => e.stream === stream || word.test(e.message));
  if (named.length === 0) return { outcome: 'violation', reason: `${missing.length} record(s) missing and no TRACE error names the stream` };
  if (o.windowed.has(stream) && !named.some((e) => WINDOW.test(e.message))) {
    return { outcome: 'violation', reason: `${missing.length} record(s) missing and no TRACE error names the window: ${named[0]!.message.slice(0, 200)}` };
  }
  return { outcome: 'b', missing: missing.length, duplicates };
}
