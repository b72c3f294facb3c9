/**
 * Result files on disk and the signed, expiring URLs that serve them (shaped like the captured
 * storage URLs, reference §1.9: `Expires` in unix seconds, a signature, a content-disposition).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const DOWNLOAD_PREFIX = '/bulk-operation-outputs/';

export class ResultFiles {
  readonly dir: string;
  private readonly secret = randomBytes(32);

  constructor(dir?: string) {
    this.dir = dir ?? mkdtempSync(join(tmpdir(), 'shopify-simulator-'));
  }

  newKey(): string {
    return randomBytes(14).toString('hex');
  }

  pathFor(key: string): string {
    return join(this.dir, `${key}.jsonl`);
  }

  private sign(key: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${key}:${expires}`).digest('base64');
  }

  url(baseUrl: string, key: string, operationId: number, expiresMs: number): string {
    const expires = Math.floor(expiresMs / 1000);
    const name = `bulk-${operationId}.jsonl`;
    const params = new URLSearchParams({
      GoogleAccessId: 'simulator@shopify-simulator.iam.example',
      Expires: String(expires),
      Signature: this.sign(key, expires),
      'response-content-disposition': `attachment; filename="${name}"; filename*=UTF-8''${name}`,
      'response-content-type': 'application/jsonl',
    });
    return `${baseUrl}${DOWNLOAD_PREFIX}${key}-final?${params.toString()}`;
  }

  /** Checks a download request; returns the key, or why it is refused. */
  check(pathname: string, query: URLSearchParams, nowMs: number): { key: string } | { refused: 'expired' | 'forbidden' } {
    const match = /^\/bulk-operation-outputs\/([0-9a-f]+)-final$/.exec(pathname);
    const expires = Number(query.get('Expires'));
    const signature = query.get('Signature') ?? '';
    if (!match?.[1] || !Number.isFinite(expires)) return { refused: 'forbidden' };
    const expected = Buffer.from(this.sign(match[1], expires));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { refused: 'forbidden' };
    if (nowMs > expires * 1000) return { refused: 'expired' };
    return { key: match[1] };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
