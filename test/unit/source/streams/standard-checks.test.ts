/**
 * The standard suite's checks, run over every stream's declaration (no server needed), and proven
 * to fail on deliberately broken inputs so a passing suite means something.
 */
import { describe, expect, it } from 'vitest';
import { ALL_STREAMS } from '../../../../src/source/streams/index.js';
import type { AirbyteMessage } from '../../../../src/protocol/messages.js';
import { messageProblems, recordProblems, schemaProblems } from '../../../support/stream-checks.js';
import type { StreamShape } from '../../../support/stream-checks.js';

const shape = (s: (typeof ALL_STREAMS)[number]): StreamShape => ({
  name: s.name,
  json_schema: s.schema,
  primaryKey: s.primaryKey,
  cursorField: s.cursorField ? [s.cursorField] : undefined,
});

describe('every stream declaration', () => {
  it('lists the ten streams once each', () => {
    expect(ALL_STREAMS.map((s) => s.name).sort()).toEqual([
      'collections', 'customers', 'inventory_items', 'inventory_levels', 'locations', 'metafield_products',
      'orders', 'product_variants', 'products', 'shop',
    ]);
  });

  for (const stream of ALL_STREAMS) {
    it(`${stream.name}: schema is draft-07, without $ref/allOf/not, additionalProperties true, PK and cursor present`, () => {
      expect(schemaProblems(shape(stream))).toEqual([]);
    });
  }

  it('incremental streams use updated_at; shop and locations are full refresh', () => {
    const cursors = Object.fromEntries(ALL_STREAMS.map((s) => [s.name, s.cursorField ?? null]));
    expect(cursors).toMatchObject({ shop: null, locations: null, orders: 'updated_at', inventory_levels: 'updated_at', metafield_products: 'updated_at' });
    expect(ALL_STREAMS.every((s) => JSON.stringify(s.primaryKey) === '[["id"]]')).toBe(true);
  });
});

describe('the checks catch broken inputs', () => {
  const base: StreamShape = {
    name: 'things',
    json_schema: { type: 'object', additionalProperties: true, properties: { id: { type: ['null', 'integer'] }, updated_at: { type: ['null', 'string'], format: 'date-time' } } },
    primaryKey: [['id']],
    cursorField: ['updated_at'],
  };

  it('passes the well-formed stream', () => {
    expect(schemaProblems(base)).toEqual([]);
    expect(recordProblems(base, [{ id: 1, updated_at: '2024-01-01T00:00:00+00:00' }, { id: 2, updated_at: null }])).toEqual([]);
  });

  it('a missing cursor', () => {
    expect(schemaProblems({ ...base, cursorField: ['modified_at'] }).join()).toMatch(/cursor modified_at is not in the schema/);
  });

  it('a missing or object-typed primary key', () => {
    expect(schemaProblems({ ...base, primaryKey: [['uid']] }).join()).toMatch(/primary key uid is not in the schema/);
    const objectPk = { ...base, json_schema: { ...base.json_schema, properties: { id: { type: ['null', 'object'] }, updated_at: {} } } };
    expect(schemaProblems(objectPk).join()).toMatch(/primary key id has type null\|object/);
  });

  it('$ref, allOf and a closed object', () => {
    const bad = { ...base, json_schema: { ...base.json_schema, properties: { id: { $ref: '#/x' }, updated_at: { allOf: [] }, x: { type: 'object', additionalProperties: false } } } };
    expect(schemaProblems(bad).join('\n')).toMatch(/\$ref[\s\S]*allOf[\s\S]*additionalProperties is not true/);
  });

  it('an invalid draft-07 schema', () => {
    expect(schemaProblems({ ...base, json_schema: { ...base.json_schema, type: 'thing' } }).join()).toMatch(/not a valid draft-07 schema/);
  });

  it('a duplicate, a null PK, a wrong type and an extra top-level field', () => {
    const problems = recordProblems(base, [{ id: 1 }, { id: 1 }, { id: null }, { id: 'x' }, { id: 5, extra: true }]).join('\n');
    expect(problems).toMatch(/record 1: duplicate primary key \[1\]/);
    expect(problems).toMatch(/record 2: null primary key/);
    expect(problems).toMatch(/record 3: .*must be null,integer/);
    expect(problems).toMatch(/record 4: top-level fields outside the schema: extra/);
  });

  const status = (s: 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE'): AirbyteMessage =>
    ({ type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: 'things' }, status: s } } });
  const state = (withStats: boolean): AirbyteMessage => ({
    type: 'STATE',
    state: { type: 'STREAM', stream: { stream_descriptor: { name: 'things' }, stream_state: {} }, ...(withStats ? { sourceStats: { recordCount: 0 } } : {}) },
  });

  it('statuses out of order, a missing STATE, a STATE without sourceStats', () => {
    expect(messageProblems('things', [status('STARTED'), status('RUNNING'), state(true), status('COMPLETE')])).toEqual([]);
    expect(messageProblems('things', [status('STARTED'), status('RUNNING'), status('COMPLETE')]).join()).toMatch(/no STATE/);
    expect(messageProblems('things', [status('STARTED'), status('RUNNING'), state(false), status('COMPLETE')]).join()).toMatch(/without sourceStats/);
    expect(messageProblems('things', [status('RUNNING'), status('STARTED'), state(true), status('COMPLETE')]).join()).toMatch(/expected STARTED/);
    expect(messageProblems('things', [status('STARTED'), state(true), status('COMPLETE')]).join()).toMatch(/expected STARTED/);
    expect(messageProblems('things', [status('STARTED'), status('RUNNING'), state(true), status('INCOMPLETE')]).join()).toMatch(/expected STARTED/);
  });
});
