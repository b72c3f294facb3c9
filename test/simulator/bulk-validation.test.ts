/** Reference §1.5: bulkOperationRunQuery validation messages, word for word. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { gql, runBulk, start } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start();
});
afterAll(async () => {
  await sim.close();
});

function invalid(message: string): unknown {
  return { field: ['query'], message, code: 'INVALID' };
}

describe('bulk query validation (§1.5)', () => {
  it('needs at least one connection', async () => {
    const run = await runBulk(sim, '{ shop { id } }');
    expect(run).toEqual({ bulkOperation: null, userErrors: [invalid('Bulk queries must contain at least one connection.')] });
  });

  it('reports a syntax error for the empty string', async () => {
    const run = await runBulk(sim, '');
    expect(run.userErrors).toEqual([invalid('Invalid bulk query: syntax error, unexpected end of file')]);
    expect(run.bulkOperation).toBeNull();
  });

  it('rejects a top-level node with two errors', async () => {
    const run = await runBulk(sim, '{ node(id: "gid://shopify/Product/1") { id } }');
    expect(run.userErrors).toEqual([
      invalid('Bulk queries cannot contain a top level `node` field.'),
      invalid('Bulk queries must contain at least one connection.'),
    ]);
  });

  it('rejects four chained connections (depth 3) and accepts three (depth 2)', async () => {
    const deep = '{ collections { edges { node { id products { edges { node { id variants { edges { node { id metafields { edges { node { id } } } } } } } } } } } } }';
    expect((await runBulk(sim, deep)).userErrors).toEqual([invalid('Bulk queries cannot contain connections with a nesting depth greater than 2.')]);
    const ok = await runBulk(sim, '{ products { edges { node { id media { edges { node { id ... on MediaImage { metafields { edges { node { id } } } } } } } } } } }');
    expect(ok.userErrors).toEqual([]);
    expect(ok.bulkOperation.status).toBe('CREATED');
  });

  it('rejects more than five connections', async () => {
    const six = '{ products { edges { node { id variants { edges { node { id } } } media { edges { node { id } } } metafields { edges { node { id } } } collections { edges { node { id } } } resourcePublications { edges { node { isPublished } } } } } } }';
    expect((await runBulk(sim, six)).userErrors).toEqual([invalid('Bulk queries cannot contain more than 5 connections.')]);
  });

  it('requires edges > node on 2026-04+', async () => {
    const run = await runBulk(sim, '{ products { nodes { id } } }', { version: '2026-04' });
    expect(run.userErrors).toEqual([invalid("All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: 'products { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: 'products'.")]);
  });

  it('requires an unaliased id on the parent of a nested connection', async () => {
    const run = await runBulk(sim, '{ products { edges { node { title variants { edges { node { id } } } } } } }');
    expect(run.userErrors).toEqual([invalid("The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': products.")]);
    const aliased = await runBulk(sim, '{ products { edges { node { productId: id variants { edges { node { id } } } } } } }');
    expect(aliased.userErrors[0]?.message).toContain("Connection fields without 'id': products.");
  });

  it('rejects mutations', async () => {
    const run = await runBulk(sim, 'mutation { productDelete(input: {id: "gid://shopify/Product/1"}) { deletedProductId } }');
    expect(run.userErrors).toEqual([invalid('Invalid operation type. Only `query` operations are supported.')]);
  });

  it('rejects a connection inside a list field', async () => {
    const run = await runBulk(sim, '{ orders { edges { node { id fulfillments { events { edges { node { id } } } } } } } }');
    expect(run.userErrors).toEqual([invalid('Queries that contain a connection field within a list field are not currently supported.')]);
  });

  it('limits the query to 65,535 bytes', async () => {
    const base = '{ products { edges { node { id } } } }';
    const padded = (size: number) => `${base}#${'x'.repeat(size - base.length - 1)}`;
    expect((await runBulk(sim, padded(65_536))).userErrors).toEqual([invalid('Query is too large (65536 bytes; maximum is 65535 bytes)')]);
    expect((await runBulk(sim, padded(65_535))).userErrors).toEqual([]);
  });

  it('rejects fields that do not exist in the version like Shopify does', async () => {
    const run = await runBulk(sim, '{ orders { edges { node { id madeUpField } } } }');
    expect(run.userErrors).toEqual([invalid("Invalid bulk query: Field 'madeUpField' doesn't exist on type 'Order'")]);
  });

  it('answers a missing query argument with a top-level missingRequiredArguments error', async () => {
    const body = await gql(sim, 'mutation { bulkOperationRunQuery { bulkOperation { id } } }', { invalid: true });
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([{
      message: "Field 'bulkOperationRunQuery' is missing required arguments: query",
      locations: [{ line: 1, column: 12 }],
      extensions: { code: 'missingRequiredArguments', className: 'Field', name: 'bulkOperationRunQuery', arguments: 'query' },
    }]);
  });

  it('rejects groupObjects before 2025-07 as an unknown argument', async () => {
    const body = await gql(sim, 'mutation { bulkOperationRunQuery(query: "{ products { edges { node { id } } } }", groupObjects: true) { userErrors { message } } }', { version: '2025-01', invalid: true });
    expect(body.errors[0]).toMatchObject({ message: "Field 'bulkOperationRunQuery' doesn't accept argument 'groupObjects'", extensions: { code: 'argumentNotAccepted' } });
  });
});

describe('concurrency limits (§1.5, §1.8)', () => {
  it('allows one query operation before 2026-01 and names the blocking id', async () => {
    sim.reset();
    sim.setTimings({ createdMs: 0, runningMs: 3_600_000 });
    try {
      const first = await runBulk(sim, '{ products { edges { node { id } } } }', { version: '2025-01' });
      expect(first.bulkOperation.status).toBe('CREATED');
      const second = await runBulk(sim, '{ products { edges { node { id } } } }', { version: '2025-01' });
      expect(second).toEqual({
        bulkOperation: null,
        userErrors: [{ field: null, message: `A bulk query operation for this app and shop is already in progress: ${first.bulkOperation.id}.`, code: 'OPERATION_IN_PROGRESS' }],
      });
    } finally {
      sim.setTimings({ createdMs: 0, runningMs: 0 });
      sim.reset();
    }
  });

  it('allows five from 2026-01 and lists all five blocking ids on the sixth', async () => {
    sim.setTimings({ createdMs: 0, runningMs: 3_600_000 });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 5; i += 1) {
        const run = await runBulk(sim, '{ products { edges { node { id } } } }', { version: '2026-04' });
        expect(run.userErrors).toEqual([]);
        ids.push(run.bulkOperation.id as string);
      }
      const sixth = await runBulk(sim, '{ products { edges { node { id } } } }', { version: '2026-04' });
      expect(sixth.bulkOperation).toBeNull();
      expect(sixth.userErrors).toEqual([{ field: null, code: 'OPERATION_IN_PROGRESS', message: `A bulk query operation for this app and shop is already in progress: ${ids.join(', ')}.` }]);
    } finally {
      sim.setTimings({ createdMs: 0, runningMs: 0 });
      sim.reset();
    }
  });
});
