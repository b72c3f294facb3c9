/**
 * Typed constructors for every Airbyte message the connectors emit. The shapes come from the generated
 * protocol types; a message is a discriminated union on `type` so consumers can narrow safely.
 */
import type {
  AirbyteCatalog,
  AirbyteConnectionStatus,
  AirbyteErrorTraceMessage,
  AirbyteLogMessage,
  AirbyteRecordMessage,
  AirbyteStateMessage,
  AirbyteStateStats,
  AirbyteStreamStatusTraceMessage,
  AirbyteTraceMessage,
  ConnectorSpecification,
  AirbyteControlMessage,
  DestinationCatalog,
} from './generated.js';

export type * from './generated.js';

export type RecordMessage = { type: 'RECORD'; record: AirbyteRecordMessage };
export type StateMessage = { type: 'STATE'; state: AirbyteStateMessage };
export type LogMessage = { type: 'LOG'; log: AirbyteLogMessage };
export type TraceMessage = { type: 'TRACE'; trace: AirbyteTraceMessage };
export type SpecMessage = { type: 'SPEC'; spec: ConnectorSpecification };
export type CatalogMessage = { type: 'CATALOG'; catalog: AirbyteCatalog };
export type ConnectionStatusMessage = { type: 'CONNECTION_STATUS'; connectionStatus: AirbyteConnectionStatus };
export type ControlMessage = { type: 'CONTROL'; control: AirbyteControlMessage };
export type DestinationCatalogMessage = { type: 'DESTINATION_CATALOG'; destination_catalog: DestinationCatalog };

export type AirbyteMessage =
  | RecordMessage
  | StateMessage
  | LogMessage
  | TraceMessage
  | SpecMessage
  | CatalogMessage
  | ConnectionStatusMessage
  | ControlMessage
  | DestinationCatalogMessage;

export type MessageType = AirbyteMessage['type'];
export const MESSAGE_TYPES: ReadonlySet<string> = new Set<MessageType>([
  'RECORD', 'STATE', 'LOG', 'SPEC', 'CONNECTION_STATUS', 'CATALOG', 'TRACE', 'CONTROL', 'DESTINATION_CATALOG',
]);

export type LogLevel = AirbyteLogMessage['level'];
export type FailureType = NonNullable<AirbyteErrorTraceMessage['failure_type']>;
export type StreamStatus = AirbyteStreamStatusTraceMessage['status'];

export function recordMessage(stream: string, data: Record<string, unknown>, emittedAt: number): RecordMessage {
  return { type: 'RECORD', record: { stream, data, emitted_at: emittedAt } };
}

/** A per-stream STATE with `sourceStats` (counts are doubles in the protocol; JSON keeps them as numbers). */
export function streamStateMessage(
  stream: string,
  streamState: Record<string, unknown>,
  stats?: { sourceRecordCount?: number; destinationRecordCount?: number },
): StateMessage {
  const state: AirbyteStateMessage = {
    type: 'STREAM',
    stream: { stream_descriptor: { name: stream }, stream_state: streamState },
  };
  if (stats?.sourceRecordCount !== undefined) state.sourceStats = { recordCount: stats.sourceRecordCount } satisfies AirbyteStateStats;
  if (stats?.destinationRecordCount !== undefined) state.destinationStats = { recordCount: stats.destinationRecordCount };
  return { type: 'STATE', state };
}

export function logMessage(level: LogLevel, message: string, stackTrace?: string): LogMessage {
  return { type: 'LOG', log: stackTrace ? { level, message, stack_trace: stackTrace } : { level, message } };
}

export function errorTraceMessage(error: AirbyteErrorTraceMessage, now = Date.now()): TraceMessage {
  return { type: 'TRACE', trace: { type: 'ERROR', emitted_at: now, error } };
}

export function streamStatusMessage(stream: string, status: StreamStatus, now = Date.now()): TraceMessage {
  return { type: 'TRACE', trace: { type: 'STREAM_STATUS', emitted_at: now, stream_status: { stream_descriptor: { name: stream }, status } } };
}

export function estimateMessage(stream: string, rowEstimate: number, byteEstimate?: number, now = Date.now()): TraceMessage {
  const estimate = { name: stream, type: 'STREAM' as const, row_estimate: rowEstimate, ...(byteEstimate === undefined ? {} : { byte_estimate: byteEstimate }) };
  return { type: 'TRACE', trace: { type: 'ESTIMATE', emitted_at: now, estimate } };
}

export function specMessage(spec: ConnectorSpecification): SpecMessage {
  return { type: 'SPEC', spec };
}

export function catalogMessage(catalog: AirbyteCatalog): CatalogMessage {
  return { type: 'CATALOG', catalog };
}

export function connectionStatusMessage(status: 'SUCCEEDED' | 'FAILED', message?: string): ConnectionStatusMessage {
  return { type: 'CONNECTION_STATUS', connectionStatus: message === undefined ? { status } : { status, message } };
}
