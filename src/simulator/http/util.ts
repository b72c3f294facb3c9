/** Small HTTP helpers: bodies, JSON answers, loopback checks. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export async function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function isLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

const REASONS: Record<number, string> = {
  429: 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** An injected HTTP error answer, with `Retry-After` (seconds) on 429 and 503. */
export function sendHttpFault(res: ServerResponse, status: number, retryAfter?: number): void {
  const headers: Record<string, string> = {};
  if (status === 429 || status === 503 || retryAfter !== undefined) headers['Retry-After'] = String(retryAfter ?? 2);
  sendJson(res, status, { errors: REASONS[status] ?? `HTTP ${status}` }, headers);
}

/** Writes a plausible beginning of a response, then resets the connection. */
export function resetMidResponse(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': '4096' });
  res.write('{"data":{"');
  setTimeout(() => res.socket?.destroy(), 5);
}
