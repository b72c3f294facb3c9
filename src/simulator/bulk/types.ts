/** Bulk operation model shared by the job manager, the runner and the GraphQL layer. */

export type BulkStatus = 'CREATED' | 'RUNNING' | 'COMPLETED' | 'CANCELING' | 'CANCELED' | 'FAILED' | 'EXPIRED';
export type BulkErrorCode = 'ACCESS_DENIED' | 'INTERNAL_SERVER_ERROR' | 'TIMEOUT';

/** Job timings in simulator milliseconds. */
export interface JobTimings {
  /** Time spent in CREATED before RUNNING. */
  createdMs: number;
  /** Minimum RUNNING time. */
  runningMs: number;
  /** Extra RUNNING time per written object (so duration is proportional to rows). */
  perObjectMs: number;
  /** CANCELING lasts this long before CANCELED. */
  cancelMs: number;
  /** Visible objectCount moves in steps of this many objects (Shopify's counters are coarse). */
  counterStep: number;
  /** `url` / `partialDataUrl` lifetime after completion (reference §1.9: 7 days). */
  urlTtlMs: number;
  /** A query must finish within this long or fails with TIMEOUT (reference §1.9: 10 days). */
  maxRunMs: number;
}

export const DEFAULT_TIMINGS: JobTimings = {
  createdMs: 1000,
  runningMs: 3000,
  perObjectMs: 0.02,
  cancelMs: 2000,
  counterStep: 5000,
  urlTtlMs: 7 * 86_400_000,
  maxRunMs: 10 * 86_400_000,
};

export const FAST_TIMINGS: JobTimings = {
  ...DEFAULT_TIMINGS,
  createdMs: 0,
  runningMs: 0,
  perObjectMs: 0,
  cancelMs: 0,
  counterStep: 1000,
};

/** How a job is told to end badly (fault injection). */
export interface JobFate {
  /** Ends FAILED with this code once `afterObjects` objects are written (partial data kept unless ACCESS_DENIED). */
  failWith?: BulkErrorCode;
  /** Someone else cancels the job after this many objects. */
  canceledByOther?: boolean;
  afterObjects?: number;
  /** A failure keeps no partial data (`partialDataUrl: null`). */
  noPartialData?: boolean;
  /** Completes with its counters but `url: null`. */
  nullUrl?: boolean;
}

/** The BulkOperation object as GraphQL serves it (reference §1.2; UnsignedInt64 as strings). */
export interface BulkOperationView {
  __typename: 'BulkOperation';
  id: string;
  status: BulkStatus;
  type: 'QUERY' | 'MUTATION';
  errorCode: BulkErrorCode | null;
  createdAt: string;
  completedAt: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
  query: string;
}
