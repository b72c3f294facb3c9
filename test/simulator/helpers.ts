/** Test helpers: a simulator on port 0 and a tiny GraphQL client speaking real HTTP to it. */
import { parse, validate } from 'graphql';
import { loadAdminSchema, startSimulator } from '../../src/simulator/index.js';
import type { Simulator, SimulatorOptions } from '../../src/simulator/index.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export async function start(options: SimulatorOptions = {}): Promise<Simulator> {
  return startSimulator({ orders: 200, fast: true, ...options });
}

export interface GqlOptions {
  version?: string;
  token?: string;
  variables?: Record<string, unknown>;
  /** Skip the local schema check (for queries that are meant to be invalid). */
  invalid?: boolean;
}

/** Every query the tests send is first validated against the real schema of its version. */
export function assertValid(query: string, version: string): void {
  const errors = validate(loadAdminSchema(version), parse(query));
  if (errors.length) throw new Error(`test query invalid for ${version}: ${errors.map((e) => e.message).join('; ')}`);
}

export async function gqlRaw(sim: Simulator, query: string, options: GqlOptions = {}): Promise<Response> {
  const version = options.version ?? '2026-07';
  if (!options.invalid) assertValid(query, version);
  return fetch(sim.graphqlUrl(version), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-shopify-access-token': options.token ?? sim.accessToken },
    body: JSON.stringify({ query, ...(options.variables ? { variables: options.variables } : {}) }),
  });
}

export async function gql(sim: Simulator, query: string, options: GqlOptions = {}): Promise<Json> {
  const res = await gqlRaw(sim, query, options);
  return (await res.json()) as Json;
}

export const RUN = `mutation Run($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query } userErrors { field message code } } }`;
export const RUN_GROUPED = `mutation Run($query: String!, $group: Boolean!) { bulkOperationRunQuery(query: $query, groupObjects: $group) { bulkOperation { id status } userErrors { field message code } } }`;
export const POLL = `query Poll($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode createdAt completedAt objectCount rootObjectCount fileSize url partialDataUrl query } } }`;

export async function runBulk(sim: Simulator, query: string, options: GqlOptions & { group?: boolean } = {}): Promise<Json> {
  const body = options.group === undefined
    ? await gql(sim, RUN, { ...options, variables: { query } })
    : await gql(sim, RUN_GROUPED, { ...options, variables: { query, group: options.group } });
  return body.data.bulkOperationRunQuery as Json;
}

export async function poll(sim: Simulator, id: string, options: GqlOptions = {}): Promise<Json> {
  const body = await gql(sim, POLL, { ...options, variables: { id } });
  return body.data.node as Json;
}

/** Polls until the job leaves CREATED/RUNNING/CANCELING. */
export async function waitDone(sim: Simulator, id: string, options: GqlOptions = {}, timeoutMs = 60_000): Promise<Json> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const op = await poll(sim, id, options);
    if (!['CREATED', 'RUNNING', 'CANCELING'].includes(op.status)) return op;
    if (Date.now() > deadline) throw new Error(`job ${id} still ${op.status}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function exportAll(sim: Simulator, query: string, options: GqlOptions & { group?: boolean } = {}): Promise<{ op: Json; text: string }> {
  const run = await runBulk(sim, query, options);
  if (!run.bulkOperation) throw new Error(JSON.stringify(run.userErrors));
  const op = await waitDone(sim, run.bulkOperation.id, options);
  const text = op.url ? await (await fetch(op.url, { headers: { 'accept-encoding': 'identity' } })).text() : '';
  return { op, text };
}

export function lines(text: string): Json[] {
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Json);
}
