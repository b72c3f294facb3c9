/** Every stream the source offers. Discover, read and the tests iterate this one list. */
import type { StreamDefinition } from './define.js';

export const ALL_STREAMS: readonly StreamDefinition[] = [];

export function streamByName(name: string): StreamDefinition | undefined {
  return ALL_STREAMS.find((s) => s.name === name);
}
