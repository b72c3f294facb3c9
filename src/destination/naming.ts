/**
 * Object names, as Airbyte's destination-gcs builds them: `<gcs_bucket_path>/<gcs_path_format expanded>`
 * followed by the file name (`file_name_pattern`, default `{part_number}{format_extension}`). With the
 * defaults: `data_sync/test/public/orders/2024_05_01_1714521600000_0.jsonl.gz`. Every time variable comes
 * from the sync's start, so a part's name is fixed before it is uploaded and a retry reuses it.
 */
import { randomUUID } from 'node:crypto';
import { ConfigError } from '../runtime/errors.js';

export const PATH_VARIABLES = ['NAMESPACE', 'STREAM_NAME', 'YEAR', 'MONTH', 'DAY', 'HOUR', 'MINUTE', 'SECOND', 'MILLISECOND', 'EPOCH', 'UUID', 'SYNC_ID'] as const;
export const FILE_VARIABLES = ['date', 'date:yyyy_MM', 'timestamp', 'timestamp:millis', 'timestamp:micros', 'part_number', 'sync_id', 'format_extension'] as const;
export const DEFAULT_FILE_NAME_PATTERN = '{part_number}{format_extension}';

export interface NamingContext {
  bucketPath: string;
  pathFormat: string;
  fileNamePattern: string | undefined;
  /** The sync's start: every date/time variable is taken from it. */
  startedAt: Date;
  syncId: number | null;
}

export interface StreamKey {
  name: string;
  namespace?: string | undefined;
}

/** Makes a name or namespace safe as a path segment (Airbyte's S3-safe characters; `/` is not kept). */
export function safeSegment(value: string): string {
  const ascii = value.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const safe = ascii.replace(/[^A-Za-z0-9_\-.!*'()]/g, '_');
  return safe === '.' || safe === '..' ? safe.replace(/\./g, '_') : safe;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Rejects unknown variables up front, naming the setting and the allowed ones. */
export function validateNaming(pathFormat: string, fileNamePattern: string | undefined): void {
  for (const m of pathFormat.matchAll(/\$\{([^}]*)\}/g)) {
    if (!(PATH_VARIABLES as readonly string[]).includes(m[1] ?? '')) {
      throw new ConfigError(`config.gcs_path_format uses an unknown variable \${${m[1]}}; allowed: ${PATH_VARIABLES.map((v) => `\${${v}}`).join(' ')}`);
    }
  }
  for (const m of (fileNamePattern ?? '').matchAll(/\{([^}]*)\}/g)) {
    if (!(FILE_VARIABLES as readonly string[]).includes(m[1] ?? '')) {
      throw new ConfigError(`config.file_name_pattern uses an unknown variable {${m[1]}}; allowed: ${FILE_VARIABLES.map((v) => `{${v}}`).join(' ')}`);
    }
  }
}

function joinKey(...pieces: string[]): string {
  return pieces.join('/').replace(/\/{2,}/g, '/').replace(/^\//, '');
}

function expandPath(ctx: NamingContext, stream: StreamKey, uuid: string): string {
  const d = ctx.startedAt;
  const values: Record<string, string> = {
    NAMESPACE: stream.namespace ? safeSegment(stream.namespace) : '',
    STREAM_NAME: safeSegment(stream.name),
    YEAR: String(d.getUTCFullYear()),
    MONTH: pad(d.getUTCMonth() + 1),
    DAY: pad(d.getUTCDate()),
    HOUR: pad(d.getUTCHours()),
    MINUTE: pad(d.getUTCMinutes()),
    SECOND: pad(d.getUTCSeconds()),
    MILLISECOND: pad(d.getUTCMilliseconds(), 3),
    EPOCH: String(d.getTime()),
    UUID: uuid,
    SYNC_ID: ctx.syncId === null ? '' : String(ctx.syncId),
  };
  return ctx.pathFormat.replace(/\$\{([^}]*)\}/g, (_, v: string) => values[v] ?? '');
}

function expandFileName(ctx: NamingContext, part: string, extension: string): string {
  let pattern = ctx.fileNamePattern ?? DEFAULT_FILE_NAME_PATTERN;
  // Several parts must never share a name, and readers need the extension.
  if (!pattern.includes('{part_number}')) pattern = pattern.includes('{format_extension}') ? pattern.replace('{format_extension}', '_{part_number}{format_extension}') : `${pattern}_{part_number}`;
  if (!pattern.includes('{format_extension}')) pattern = `${pattern}{format_extension}`;
  const d = ctx.startedAt;
  const values: Record<string, string> = {
    date: `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}`,
    'date:yyyy_MM': `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}`,
    timestamp: String(d.getTime()),
    'timestamp:millis': String(d.getTime()),
    'timestamp:micros': String(d.getTime() * 1000),
    part_number: part,
    sync_id: ctx.syncId === null ? '' : String(ctx.syncId),
    format_extension: extension,
  };
  return pattern.replace(/\{([^}]*)\}/g, (_, v: string) => values[v] ?? '');
}

export interface StreamNaming {
  /** The object name of part `part` (0-based). */
  objectName(part: number): string;
  /** The longest fixed prefix of this sync's part names (listing it finds names already taken). */
  partPrefix: string;
  /** The stream's directory: the path before the first variable that changes between syncs. */
  streamPrefix: string;
}

export function streamNaming(ctx: NamingContext, stream: StreamKey, extension: string): StreamNaming {
  const uuid = randomUUID(); // ${UUID}: one per stream and sync, so names stay stable across retries
  const dir = expandPath(ctx, stream, uuid);
  const marker = '\u0000PART\u0000';
  const withMarker = joinKey(ctx.bucketPath, dir + expandFileName(ctx, marker, extension));
  const fixed = ctx.pathFormat.split(/\$\{(?!NAMESPACE\}|STREAM_NAME\})/)[0] ?? '';
  const fixedExpanded = expandPath({ ...ctx, pathFormat: fixed }, stream, uuid);
  const streamPrefix = joinKey(ctx.bucketPath, fixedExpanded.slice(0, fixedExpanded.lastIndexOf('/') + 1));
  return {
    objectName: (part) => joinKey(ctx.bucketPath, dir + expandFileName(ctx, String(part), extension)),
    partPrefix: withMarker.slice(0, withMarker.indexOf(marker)),
    streamPrefix: streamPrefix === '' || streamPrefix.endsWith('/') ? streamPrefix : `${streamPrefix}/`,
  };
}
