/** Reference §1.6 (reading operations) and §1.7 (cancel), replayed against the simulator. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/index.js';
import { gql, poll, runBulk, start, waitDone } from './helpers.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await start();
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.reset();
  sim.setTimings({ createdMs: 0, runningMs: 0, cancelMs: 0 });
});

const PRODUCTS = '{ products { edges { node { id title } } } }';
const FIELDS = 'id status type errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query';

describe('reading operations (§1.6)', () => {
  it('currentBulkOperation is null with no operation, then the newest even when terminal', async () => {
    const none = await gql(sim, `{ currentBulkOperation { id } }`);
    expect(none.data).toEqual({ currentBulkOperation: null });
    const run = await runBulk(sim, PRODUCTS);
    await waitDone(sim, run.bulkOperation.id);
    const current = await gql(sim, `{ currentBulkOperation { id status } }`, { version: '2025-01' });
    expect(current.data.currentBulkOperation).toEqual({ id: run.bulkOperation.id, status: 'COMPLETED' });
    const mutations = await gql(sim, `{ currentBulkOperation(type: MUTATION) { id } }`);
    expect(mutations.data.currentBulkOperation).toBeNull();
  });

  it('bulkOperation(id:): unknown id is null and costs 1', async () => {
    const body = await gql(sim, `query($id: ID!) { bulkOperation(id: $id) { ${FIELDS} } }`, { variables: { id: 'gid://shopify/BulkOperation/0' } });
    expect(body.data).toEqual({ bulkOperation: null });
    expect(body.extensions.cost).toMatchObject({ requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } });
  });

  it('bulkOperation(id: "not-a-gid") is a coercion error without data', async () => {
    const body = await gql(sim, `query BulkOperationMalformedInlineIdValidation {\n  bulkOperation(id: "not-a-gid") {\n    id\n  }\n}\n`);
    expect(body).toEqual({
      errors: [{
        message: "Invalid global id 'not-a-gid'",
        locations: [{ line: 2, column: 3 }],
        path: ['query BulkOperationMalformedInlineIdValidation', 'bulkOperation', 'id'],
        extensions: { code: 'argumentLiteralsIncompatible', typeName: 'CoercionError' },
      }],
    });
  });

  it('a non-gid variable is INVALID_VARIABLE', async () => {
    const body = await gql(sim, `query BulkOperationByIdCapture($id: ID!) { bulkOperation(id: $id) { id } }`, { variables: { id: 'not-a-shopify-gid' } });
    expect(body.errors).toEqual([{
      message: 'Variable $id of type ID! was provided invalid value',
      locations: [{ line: 1, column: 32 }],
      extensions: { code: 'INVALID_VARIABLE', value: 'not-a-shopify-gid', problems: [{ path: [], explanation: "Invalid global id 'not-a-shopify-gid'", message: "Invalid global id 'not-a-shopify-gid'" }] },
    }]);
    expect(body.data).toBeUndefined();
  });

  it('a Product gid is RESOURCE_NOT_FOUND with data.bulkOperation null', async () => {
    const body = await gql(sim, `{\n  bulkOperation(id: "gid://shopify/Product/1") {\n    id\n  }\n}`);
    expect(body.errors).toEqual([{ message: 'Invalid id: gid://shopify/Product/1', locations: [{ line: 2, column: 3 }], path: ['bulkOperation'], extensions: { code: 'RESOURCE_NOT_FOUND' } }]);
    expect(body.data).toEqual({ bulkOperation: null });
  });

  it('bulkOperation and bulkOperations do not exist before 2026-01', async () => {
    const body = await gql(sim, `{ bulkOperations(first: 1) { nodes { id } } }`, { version: '2025-10', invalid: true });
    expect(body.errors[0]).toMatchObject({ message: "Field 'bulkOperations' doesn't exist on type 'QueryRoot'", extensions: { code: 'undefinedField', typeName: 'QueryRoot', fieldName: 'bulkOperations' } });
    const single = await gql(sim, `{ bulkOperation(id: "gid://shopify/BulkOperation/1") { id } }`, { version: '2025-01', invalid: true });
    expect(single.errors[0].message).toBe("Field 'bulkOperation' doesn't exist on type 'QueryRoot'");
  });

  it('node(id:) reads an operation in every version', async () => {
    const run = await runBulk(sim, PRODUCTS, { version: '2025-01' });
    const op = await waitDone(sim, run.bulkOperation.id, { version: '2025-01' });
    expect(op).toMatchObject({ id: run.bulkOperation.id, status: 'COMPLETED', query: PRODUCTS });
  });

  it('bulkOperations validates first/last and the created_at filter (BAD_REQUEST)', async () => {
    const missing = await gql(sim, `query BulkOperationsMissingWindowValidation {\n  bulkOperations {\n    nodes {\n      id\n    }\n  }\n}\n`);
    expect(missing).toMatchObject({ errors: [{ message: 'you must provide one of first or last', locations: [{ line: 2, column: 3 }], extensions: { code: 'BAD_REQUEST' }, path: ['bulkOperations'] }], data: null });
    expect(missing.extensions.cost.requestedQueryCost).toBe(2);
    const both = await gql(sim, `{ bulkOperations(first: 1, last: 1) { nodes { id } } }`);
    expect(both.errors[0].message).toBe('providing both first and last is not supported');
    expect(both.extensions.cost.requestedQueryCost).toBe(3);
    const date = await gql(sim, `{ bulkOperations(first: 1, query: "created_at:not-a-date") { nodes { id } } }`);
    expect(date.errors[0]).toMatchObject({ message: 'Invalid timestamp for query filter `created_at`.', extensions: { code: 'BAD_REQUEST' } });
  });

  it('bulkOperations: unaccepted status values give no nodes and a warning; unknown fields are ignored', async () => {
    const run = await runBulk(sim, PRODUCTS);
    await waitDone(sim, run.bulkOperation.id);
    const expired = await gql(sim, `{ bulkOperations(first: 1, query: "status:EXPIRED") { nodes { id } } }`);
    expect(expired.data).toEqual({ bulkOperations: { nodes: [] } });
    expect(expired.extensions.search).toEqual([{ path: ['bulkOperations'], query: 'status:EXPIRED', parsed: { field: 'status', match_all: 'EXPIRED' }, warnings: [{ field: 'status', message: 'Input `EXPIRED` is not an accepted value.', code: 'invalid_value' }] }]);
    const unknown = await gql(sim, `{ bulkOperations(first: 5, query: "made_up:value") { nodes { id } } }`);
    expect(unknown.data.bulkOperations.nodes).toEqual([{ id: run.bulkOperation.id }]);
    expect(unknown.extensions.search[0].warnings).toEqual([{ field: 'made_up', message: 'Invalid search field for this query.', code: 'invalid_field' }]);
    const completed = await gql(sim, `{ bulkOperations(first: 5, query: "status:completed operation_type:query") { nodes { id } } }`);
    expect(completed.data.bulkOperations.nodes).toEqual([{ id: run.bulkOperation.id }]);
  });

  it('bulkOperations sorts newest first by default, oldest first with reverse', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const run = await runBulk(sim, PRODUCTS);
      ids.push(run.bulkOperation.id);
      await waitDone(sim, run.bulkOperation.id);
      sim.clock.advance(2000);
    }
    const newest = await gql(sim, `{ bulkOperations(first: 5) { nodes { id } } }`);
    expect(newest.data.bulkOperations.nodes.map((n: { id: string }) => n.id)).toEqual([...ids].reverse());
    const oldest = await gql(sim, `{ bulkOperations(first: 2, reverse: true) { nodes { id } pageInfo { hasNextPage } } }`);
    expect(oldest.data.bulkOperations).toEqual({ nodes: ids.slice(0, 2).map((id) => ({ id })), pageInfo: { hasNextPage: true } });
    expect(oldest.extensions.cost.requestedQueryCost).toBe(4);
  });
});

describe('bulkOperationCancel (§1.7)', () => {
  const CANCEL = `mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { ${FIELDS} } userErrors { field message } } }`;

  it('cancels: CANCELING, again CANCELING, then CANCELED with counters kept and null urls', async () => {
    sim.setTimings({ runningMs: 3_600_000, cancelMs: 5000, counterStep: 10 });
    sim.clock.freeze(true);
    try {
      const run = await runBulk(sim, PRODUCTS);
      const id = run.bulkOperation.id as string;
      let before = await poll(sim, id);
      for (let i = 0; i < 100 && before.objectCount === '0'; i += 1) {
        await new Promise((r) => setTimeout(r, 10));
        before = await poll(sim, id);
      }
      expect(before.status).toBe('RUNNING');
      expect(before.objectCount).toBe('20');
      const first = await gql(sim, CANCEL, { variables: { id } });
      expect(first.data.bulkOperationCancel.userErrors).toEqual([]);
      expect(first.data.bulkOperationCancel.bulkOperation.status).toBe('CANCELING');
      expect(first.extensions.cost.requestedQueryCost).toBe(10);
      const again = await gql(sim, CANCEL, { variables: { id } });
      expect(again.data.bulkOperationCancel).toMatchObject({ bulkOperation: { id, status: 'CANCELING' }, userErrors: [] });
      // A CANCELING operation still holds its slot.
      const blocked = await runBulk(sim, PRODUCTS, { version: '2025-01' });
      expect(blocked.userErrors[0]?.code).toBe('OPERATION_IN_PROGRESS');
      sim.clock.advance(5000);
      const done = await waitDone(sim, id);
      expect(done).toMatchObject({ status: 'CANCELED', completedAt: null, url: null, partialDataUrl: null, errorCode: null, fileSize: null });
      expect(done.objectCount).toBe(before.objectCount);
      expect(done.rootObjectCount).toBe(before.rootObjectCount);
    } finally {
      sim.clock.freeze(false);
    }
  });

  it('unknown id: bulkOperation null and "Bulk operation does not exist"', async () => {
    const body = await gql(sim, CANCEL, { variables: { id: 'gid://shopify/BulkOperation/1' } });
    expect(body.data.bulkOperationCancel).toEqual({ bulkOperation: null, userErrors: [{ field: ['id'], message: 'Bulk operation does not exist' }] });
  });

  it('a completed operation cannot be canceled', async () => {
    const run = await runBulk(sim, PRODUCTS);
    await waitDone(sim, run.bulkOperation.id);
    const body = await gql(sim, CANCEL, { variables: { id: run.bulkOperation.id } });
    expect(body.data.bulkOperationCancel.bulkOperation.status).toBe('COMPLETED');
    expect(body.data.bulkOperationCancel.userErrors).toEqual([{ field: null, message: 'A bulk operation cannot be canceled when it is completed' }]);
  });
});
