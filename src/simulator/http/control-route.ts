/**
 * The control API under `/__simulator/` (loopback only, JSON in and out). Every route mirrors a method
 * of the in-process control surface; see README.md for the list.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RESOURCE_TYPES } from '../store/ids.js';
import type { ResourceType } from '../store/ids.js';
import { materialize } from '../store/materialize.js';
import type { FaultRule } from '../faults.js';
import type { SimulatorState } from '../simulator.js';
import { isoSeconds } from '../clock.js';
import { isLoopback, readBody, sendJson } from './util.js';

export const CONTROL_PREFIX = '/__simulator';

type Body = Record<string, unknown>;

function resourceType(name: string | undefined): ResourceType {
  if (!name || !(RESOURCE_TYPES as readonly string[]).includes(name)) throw new Error(`unknown resource type '${name ?? ''}' (one of ${RESOURCE_TYPES.join(', ')})`);
  return name as ResourceType;
}

function clockView(state: SimulatorState): Body {
  const now = state.clock.now();
  return { now: isoSeconds(now), nowMs: now, frozen: state.clock.isFrozen() };
}

async function route(state: SimulatorState, method: string, parts: string[], url: URL, body: Body): Promise<unknown> {
  const [head, second, third] = parts;
  const query = url.searchParams;
  const store = state.storeControl();
  switch (`${method} ${head ?? ''}`) {
    case 'GET health': return { ok: true, url: state.baseUrl };
    case 'POST reset': state.reset(body); return { ok: true };
    case 'GET clock': return clockView(state);
    case 'POST clock':
      if (typeof body.freeze === 'boolean') state.clock.freeze(body.freeze);
      if (typeof body.set === 'string') state.clock.set(Date.parse(body.set));
      if (typeof body.advanceMs === 'number') state.clock.advance(body.advanceMs);
      return clockView(state);
    case 'GET requests': return { requests: state.log };
    case 'DELETE requests': state.log = []; return { ok: true };
    case 'GET faults': return { faults: state.faults.list() };
    case 'POST faults': return { id: state.faults.add(body as unknown as FaultRule) };
    case 'DELETE faults':
      if (second) state.faults.remove(Number(second));
      else state.faults.clear();
      return { ok: true };
    case 'POST tokens':
      state.tokens.set(String(body.token), Array.isArray(body.scopes) ? body.scopes.map(String) : [], typeof body.expiresAt === 'string' ? Date.parse(body.expiresAt) : undefined);
      return { ok: true };
    case 'GET timings': return state.timings;
    case 'POST timings': return state.setTimings(body);
    case 'GET throttle': return state.buckets.config;
    case 'POST throttle':
      if (typeof body.maximumAvailable === 'number') state.buckets.config.maximumAvailable = body.maximumAvailable;
      if (typeof body.restoreRate === 'number') state.buckets.config.restoreRate = body.restoreRate;
      if (typeof body.token === 'string' && typeof body.currentlyAvailable === 'number') state.buckets.setAvailable(body.token, body.currentlyAvailable);
      return state.buckets.config;
    case 'GET bulk': return { operations: state.jobs() };
    case 'POST bulk':
      if (second === 'foreign') return state.foreignJob(typeof body.holdMs === 'number' ? body.holdMs : 3_600_000);
      if (second === 'cancel') return state.cancelJob(String(body.id));
      break;
    case 'POST store':
      if (second === 'seed') { state.seed(body); return { ok: true, sizes: state.store.sizes }; }
      if (third === 'update') return { gids: store.update(resourceType(second), body) };
      if (third === 'insert') return { gids: store.insert(resourceType(second), typeof body.count === 'number' ? body.count : 1) };
      if (third === 'delete') return { gids: store.delete(resourceType(second), body) };
      break;
    case 'GET store': {
      if (!second) return { seed: state.store.seed, sizes: state.store.sizes };
      const options = Object.fromEntries(['updatedAtMin', 'updatedAtMax', 'createdAtMin', 'createdAtMax', 'sortKey'].flatMap((k) => (query.get(k) ? [[k, query.get(k)]] : [])));
      const entries = store.list(resourceType(second), options);
      const offset = Number(query.get('offset') ?? 0);
      const limit = Number(query.get('limit') ?? 1000);
      const full = query.get('full') === '1';
      return {
        count: entries.length,
        entries: entries.slice(offset, offset + limit).map((e) => ({ gid: e.gid, createdAt: e.createdAt, updatedAt: e.updatedAt, ...(full ? { record: materialize(e.record()) } : {}) })),
      };
    }
    default: break;
  }
  throw Object.assign(new Error(`no control route ${method} /${parts.join('/')}`), { status: 404 });
}

export async function controlRoute(state: SimulatorState, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (!isLoopback(req)) {
    sendJson(res, 403, { error: 'the control API only answers loopback clients' });
    return;
  }
  try {
    const text = req.method === 'GET' ? '' : await readBody(req);
    const body = (text ? JSON.parse(text) : {}) as Body;
    const parts = url.pathname.slice(CONTROL_PREFIX.length).split('/').filter(Boolean).map(decodeURIComponent);
    sendJson(res, 200, await route(state, req.method ?? 'GET', parts, url, body));
  } catch (error) {
    const status = (error as { status?: number }).status ?? 400;
    sendJson(res, status, { error: (error as Error).message });
  }
}
