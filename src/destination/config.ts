/** The destination's typed configuration, normalised from the spec-valid JSON. */
import { ConfigError } from '../runtime/errors.js';

export type OutputFormat =
  | { type: 'JSONL'; flatten: boolean; gzip: boolean }
  | { type: 'CSV'; flatten: boolean; gzip: boolean }
  | { type: 'Parquet'; codec: 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP'; rowGroupSize: number };

export type GcsCredential = { type: 'SERVICE_ACCOUNT_KEY'; key: Record<string, unknown> } | { type: 'APPLICATION_DEFAULT' };

export interface DestinationConfig {
  bucket: string;
  bucketPath: string;
  pathFormat: string;
  fileNamePattern: string | undefined;
  credential: GcsCredential;
  format: OutputFormat;
  maxObjectBytes: number;
  stateFlushIntervalMs: number;
  endpoint: string | undefined;
  projectId: string | undefined;
}

function credentialFrom(raw: Record<string, unknown>): GcsCredential {
  if (raw.credential_type === 'APPLICATION_DEFAULT') return { type: 'APPLICATION_DEFAULT' };
  let key: unknown;
  try {
    key = JSON.parse(String(raw.service_account_json));
  } catch {
    throw new ConfigError('config.credential.service_account_json is not valid JSON: paste the whole key file of the service account');
  }
  const k = key as Record<string, unknown>;
  if (typeof key !== 'object' || key === null || typeof k.client_email !== 'string' || typeof k.private_key !== 'string') {
    throw new ConfigError('config.credential.service_account_json must be a service account key with client_email and private_key');
  }
  return { type: 'SERVICE_ACCOUNT_KEY', key: k };
}

function formatFrom(raw: Record<string, unknown>): OutputFormat {
  const flatten = raw.flattening === 'Root level flattening';
  const gzip = ((raw.compression ?? { compression_type: 'GZIP' }) as { compression_type?: string }).compression_type !== 'No Compression';
  switch (raw.format_type) {
    case 'JSONL':
      return { type: 'JSONL', flatten, gzip };
    case 'CSV':
      return { type: 'CSV', flatten, gzip };
    case 'Parquet':
      return {
        type: 'Parquet',
        codec: (raw.compression_codec as 'UNCOMPRESSED' | 'SNAPPY' | 'GZIP' | undefined) ?? 'SNAPPY',
        rowGroupSize: Number(raw.row_group_size ?? 10_000),
      };
    default:
      throw new ConfigError('config.format.format_type must be one of "JSONL", "CSV", "Parquet"');
  }
}

export function configureDestination(raw: Record<string, unknown>): DestinationConfig {
  const endpoint = typeof raw.gcs_endpoint === 'string' && raw.gcs_endpoint !== '' ? raw.gcs_endpoint.replace(/\/+$/, '') : undefined;
  return {
    bucket: String(raw.gcs_bucket_name),
    bucketPath: String(raw.gcs_bucket_path ?? '').replace(/^\/+|\/+$/g, ''),
    pathFormat: String(raw.gcs_path_format ?? '${NAMESPACE}/${STREAM_NAME}/${YEAR}_${MONTH}_${DAY}_${EPOCH}_'),
    fileNamePattern: typeof raw.file_name_pattern === 'string' && raw.file_name_pattern !== '' ? raw.file_name_pattern : undefined,
    credential: credentialFrom(raw.credential as Record<string, unknown>),
    format: formatFrom(raw.format as Record<string, unknown>),
    maxObjectBytes: Number(raw.max_object_size_mb ?? 200) * 1024 * 1024,
    stateFlushIntervalMs: Number(raw.state_flush_interval_seconds ?? 300) * 1000,
    endpoint,
    projectId: typeof raw.project_id === 'string' ? raw.project_id : undefined,
  };
}
