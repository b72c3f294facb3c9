import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { expectValidMessages } from '../../support/protocol.js';
import { uniqueBucket } from '../../support/gcs-emulator.js';
import { catalogOf, complete, destinationConfig, emulatorStorage, emulatorUrl, listNames, readJsonl, readText, record, runWrite, streamState } from './harness.js';

const schema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    title: { type: ['null', 'string'] },
    price: { type: ['null', 'number'] },
    active: { type: 'boolean' },
    updated_at: { type: ['null', 'string'], format: 'date-time' },
    tags: { type: ['null', 'array'], items: { type: 'string' } },
  },
};
const records = Array.from({ length: 250 }, (_, i) => ({
  id: i + 1,
  title: i % 7 === 0 ? null : `Product ${i} "quoted", with comma\nand newline`,
  price: i + 0.5,
  active: i % 2 === 0,
  updated_at: new Date(Date.UTC(2024, 4, 1, 0, 0, i)).toISOString(),
  tags: [`t${i}`],
}));
const input = [...records.map((r) => record('products', r)), streamState('products', { updated_at: '2024-05-01' }), complete('products')];

describe('formats round trip through the emulator', () => {
  it('JSONL gzip (default): the Airbyte columns, then _airbyte_data', async () => {
    const url = emulatorUrl();
    const bucket = uniqueBucket('jsonl');
    const config = destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: url, format: { format_type: 'JSONL' } });
    const run = await runWrite(config, catalogOf([{ name: 'products', schema, generation: 3, syncId: 77 }]), input);
    expect(run.error).toBeUndefined();
    expectValidMessages(run.output);
    expect(run.output.filter((m) => m.type === 'STATE')).toHaveLength(1);

    const storage = emulatorStorage(url);
    const names = await listNames(storage, bucket);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^data\/products\/\d{4}_\d{2}_\d{2}_\d+_0\.jsonl\.gz$/);
    const [raw] = await storage.bucket(bucket).file(names[0]!).download();
    expect(gunzipSync(raw).toString().split('\n').filter(Boolean)).toHaveLength(250); // a real gzip file
    const rows = await readJsonl(storage, bucket);
    expect(rows.map((r) => r._airbyte_data)).toEqual(records);
    const first = rows[0]!;
    expect(Object.keys(first)).toEqual(['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_generation_id', '_airbyte_meta', '_airbyte_data']);
    expect(first._airbyte_raw_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first).toMatchObject({ _airbyte_extracted_at: 1_714_521_600_000, _airbyte_generation_id: 3, _airbyte_meta: { changes: [], sync_id: 77 } });
    expect(new Set(rows.map((r) => r._airbyte_raw_id)).size).toBe(250);
  });

  it('JSONL uncompressed with root-level flattening', async () => {
    const url = emulatorUrl();
    const bucket = uniqueBucket('jsonl-flat');
    const config = destinationConfig({
      gcs_bucket_name: bucket, gcs_endpoint: url,
      format: { format_type: 'JSONL', flattening: 'Root level flattening', compression: { compression_type: 'No Compression' } },
    });
    const run = await runWrite(config, catalogOf([{ name: 'products', schema }]), input);
    expect(run.error).toBeUndefined();
    const storage = emulatorStorage(url);
    const names = await listNames(storage, bucket);
    expect(names[0]).toMatch(/_0\.jsonl$/);
    const rows = await readJsonl(storage, bucket);
    expect(rows.map(({ _airbyte_raw_id, _airbyte_extracted_at, _airbyte_generation_id, _airbyte_meta, ...data }) => data)).toEqual(records);
  });

  it('CSV gzip without flattening, and with root-level flattening', async () => {
    const url = emulatorUrl();
    const storage = emulatorStorage(url);
    for (const flattening of ['No flattening', 'Root level flattening']) {
      const bucket = uniqueBucket('csv');
      const config = destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: url, format: { format_type: 'CSV', flattening } });
      const run = await runWrite(config, catalogOf([{ name: 'products', schema }]), input);
      expect(run.error).toBeUndefined();
      const names = await listNames(storage, bucket);
      expect(names[0]).toMatch(/\.csv\.gz$/);
      const rows = parseCsv(await readText(storage, bucket, names[0]!), { columns: true }) as Array<Record<string, string>>;
      expect(rows).toHaveLength(250);
      const header = Object.keys(rows[0]!);
      expect(header.slice(0, 4)).toEqual(['_airbyte_raw_id', '_airbyte_extracted_at', '_airbyte_generation_id', '_airbyte_meta']);
      if (flattening === 'No flattening') {
        expect(header[4]).toBe('_airbyte_data');
        expect(rows.map((r) => JSON.parse(r._airbyte_data!))).toEqual(records);
      } else {
        expect(header.slice(4)).toEqual(Object.keys(schema.properties));
        expect(rows.map((r) => r.title)).toEqual(records.map((r) => r.title ?? ''));
        expect(rows.map((r) => r.active)).toEqual(records.map((r) => String(r.active)));
        expect(rows.map((r) => JSON.parse(r.tags!))).toEqual(records.map((r) => r.tags));
      }
      expect(JSON.parse(rows[0]!._airbyte_meta!)).toEqual({ changes: [], sync_id: 42 });
    }
  });

  it.each(['SNAPPY', 'GZIP', 'UNCOMPRESSED'])('Parquet %s: typed columns from the JSON Schema; misfits nulled and recorded', async (codec) => {
    const url = emulatorUrl();
    const bucket = uniqueBucket('parquet');
    const config = destinationConfig({ gcs_bucket_name: bucket, gcs_endpoint: url, format: { format_type: 'Parquet', compression_codec: codec, row_group_size: 100 } });
    const misfit = { id: 'not-a-number', title: 12, price: '9.75', active: true, updated_at: 'yesterday', tags: ['x'] };
    const run = await runWrite(config, catalogOf([{ name: 'products', schema }]), [...input.slice(0, -2), record('products', misfit), ...input.slice(-2)]);
    expect(run.error).toBeUndefined();
    const storage = emulatorStorage(url);
    const names = await listNames(storage, bucket);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/\.parquet$/);
    const [buf] = await storage.bucket(bucket).file(names[0]!).download();
    const file = new Uint8Array(buf).buffer;
    const meta = parquetMetadata(file);
    const types = Object.fromEntries(meta.schema.slice(1).map((e) => [e.name, [e.type, e.converted_type ?? null]]));
    expect(types).toEqual({
      _airbyte_raw_id: ['BYTE_ARRAY', 'UTF8'],
      _airbyte_extracted_at: ['INT64', 'TIMESTAMP_MILLIS'],
      _airbyte_generation_id: ['INT64', 'INT_64'],
      _airbyte_meta: ['BYTE_ARRAY', 'JSON'],
      id: ['INT64', 'INT_64'],
      title: ['BYTE_ARRAY', 'UTF8'],
      price: ['DOUBLE', null],
      active: ['BOOLEAN', null],
      updated_at: ['INT64', 'TIMESTAMP_MICROS'],
      tags: ['BYTE_ARRAY', 'JSON'],
    });
    expect(meta.row_groups.length).toBe(3);
    expect(meta.row_groups[0]!.columns[0]!.meta_data?.codec).toBe(codec);
    const rows = (await parquetReadObjects({ file, compressors })) as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(251);
    const back = rows.slice(0, 250).map((r) => ({
      id: Number(r.id), title: r.title, price: r.price, active: r.active,
      updated_at: (r.updated_at as Date).toISOString(), tags: r.tags,
    }));
    expect(back).toEqual(records);
    expect(rows[0]!._airbyte_extracted_at).toEqual(new Date(1_714_521_600_000));
    const last = rows[250]!;
    expect(last).toMatchObject({ id: null, title: null, price: 9.75, active: true, updated_at: null, tags: ['x'] });
    expect(last._airbyte_meta).toEqual({
      sync_id: 42,
      changes: ['id', 'title', 'updated_at'].map((field) => ({ field, change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' })),
    });
  });
});
