/**
 * Human-facing logs travel as Airbyte LOG messages through the one writer (so the platform shows
 * them and redaction applies). `every` rate-limits a repeating log line by key.
 */
import { logMessage, type LogLevel } from '../protocol/messages.js';
import type { MessageWriter } from '../protocol/writer.js';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, stackTrace?: string): void;
  /** Logs at most once per `intervalMs` for the same key (progress lines while polling). */
  every(key: string, intervalMs: number, level: LogLevel, message: string): void;
}

export function createLogger(writer: Pick<MessageWriter, 'write'>, options: { debug?: boolean; now?: () => number } = {}): Logger {
  const now = options.now ?? Date.now;
  const last = new Map<string, number>();
  const emit = (level: LogLevel, message: string, stackTrace?: string): void => {
    // Log lines are small and rare: their backpressure is absorbed by the next record's await.
    void writer.write(logMessage(level, message, stackTrace));
  };
  return {
    debug: (m) => {
      if (options.debug) emit('DEBUG', m);
    },
    info: (m) => emit('INFO', m),
    warn: (m) => emit('WARN', m),
    error: (m, stack) => emit('ERROR', m, stack),
    every(key, intervalMs, level, message) {
      const t = now();
      const previous = last.get(key);
      if (previous !== undefined && t - previous < intervalMs) return;
      last.set(key, t);
      emit(level, message);
    },
  };
}

/** A logger that drops everything (unit tests, library use). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {}, every() {} };
