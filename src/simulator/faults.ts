/**
 * Fault injection: rules matched against requests by kind (and optionally path) and consumed by count.
 * HTTP faults act on the response; job faults decide how the next bulk job ends; download faults cut
 * or refuse a result download.
 */
import type { BulkErrorCode } from './bulk/types.js';

export type RequestKind = 'bulkOperationRunQuery' | 'poll' | 'cancel' | 'query' | 'mutation' | 'download' | 'oauth' | 'invalid';

export type FaultAction =
  /** Answer with this HTTP status (429 gets `Retry-After`). */
  | { type: 'http'; status: 429 | 500 | 502 | 503 | 504 | number; retryAfter?: number }
  /** Write part of the response, then reset the connection. */
  | { type: 'reset' }
  /** Delay the response by this many real milliseconds. */
  | { type: 'slow'; delayMs: number }
  /** Answer with a THROTTLED error (the bucket is left as is). */
  | { type: 'throttled' }
  /**
   * The next bulk job ends FAILED with this code after `afterObjects` objects. Partial data is kept at
   * `partialDataUrl` except for ACCESS_DENIED or when `partialData` is false.
   */
  | { type: 'jobFailed'; errorCode: BulkErrorCode; afterObjects?: number; partialData?: boolean }
  /** The next bulk job is canceled by someone else after `afterObjects` objects. */
  | { type: 'jobCanceled'; afterObjects?: number }
  /** The next bulk job completes with its counters but `url: null`, as if the query had no results. */
  | { type: 'nullUrl' }
  /** A download stops after this many bytes (connection destroyed). */
  | { type: 'downloadCut'; afterBytes: number }
  /** A download is refused as expired even though its URL is still valid. */
  | { type: 'urlExpired' };

export interface FaultRule {
  /** Which requests it applies to; `any` matches every GraphQL, oauth and download request. */
  match?: RequestKind | 'any';
  /** Optional regular expression the request path must match. */
  path?: string;
  /**
   * Optional regular expression on what the request is about: a GraphQL request's query text and string
   * variables (so a bulk query submitted in `variables.query`), plus the query of the bulk operation a
   * poll, cancel or result download refers to; for job faults, the bulk query of the job being created.
   * It lets a rule target one stream's jobs and requests.
   */
  query?: string;
  action: FaultAction;
  /** How many matching requests (or jobs) it affects; default 1. */
  count?: number;
  /** Let this many matching requests pass before acting; default 0. */
  skip?: number;
}

export interface ActiveFault extends FaultRule {
  id: number;
  remaining: number;
  skipped: number;
}

const JOB_ACTIONS = new Set(['jobFailed', 'jobCanceled', 'nullUrl']);
const DOWNLOAD_ACTIONS = new Set(['downloadCut', 'urlExpired']);

export class Faults {
  private rules: ActiveFault[] = [];
  private nextId = 1;

  add(rule: FaultRule): number {
    const id = this.nextId;
    this.nextId += 1;
    this.rules.push({ ...rule, id, remaining: rule.count ?? 1, skipped: 0 });
    return id;
  }

  list(): readonly ActiveFault[] {
    return this.rules;
  }

  clear(): void {
    this.rules = [];
  }

  remove(id: number): void {
    this.rules = this.rules.filter((rule) => rule.id !== id);
  }

  private take(filter: (rule: ActiveFault) => boolean): FaultAction | undefined {
    for (const rule of this.rules) {
      if (rule.remaining <= 0 || !filter(rule)) continue;
      if (rule.skipped < (rule.skip ?? 0)) {
        rule.skipped += 1;
        continue;
      }
      rule.remaining -= 1;
      return rule.action;
    }
    return undefined;
  }

  private matches(rule: ActiveFault, kind: RequestKind, path: string, subject: string | undefined): boolean {
    const kindOk = rule.match === undefined || rule.match === 'any' || rule.match === kind;
    return kindOk && (rule.path === undefined || new RegExp(rule.path).test(path)) && this.about(rule, subject);
  }

  private about(rule: ActiveFault, subject: string | undefined): boolean {
    return rule.query === undefined || (subject !== undefined && new RegExp(rule.query).test(subject));
  }

  /** The HTTP-level fault for a GraphQL/oauth request, if any; `subject` is what `query` rules match. */
  forRequest(kind: RequestKind, path: string, subject?: string): FaultAction | undefined {
    return this.take((rule) => !JOB_ACTIONS.has(rule.action.type) && !DOWNLOAD_ACTIONS.has(rule.action.type) && this.matches(rule, kind, path, subject));
  }

  /** A fault for a result download (HTTP faults with match download/any, or download faults); `subject` is the job's query. */
  forDownload(path: string, subject?: string): FaultAction | undefined {
    return this.take((rule) => !JOB_ACTIONS.has(rule.action.type) && rule.action.type !== 'throttled' && this.matches(rule, 'download', path, subject) && (rule.match === 'download' || DOWNLOAD_ACTIONS.has(rule.action.type) || rule.match === 'any'));
  }

  /** How the next bulk job with this query ends (consumes a job rule). */
  forJob(query?: string): FaultAction | undefined {
    return this.take((rule) => JOB_ACTIONS.has(rule.action.type) && this.about(rule, query));
  }
}
