/**
 * Keeps WebAssembly in its baseline compiler (Liftoff) for the rest of the process.
 *
 * The source runs one WebAssembly module: the HTTP parser (llhttp) inside Node's `fetch`, which
 * parses the few kilobytes of GraphQL responses a sync receives. After a handful of requests V8
 * re-compiles its main function with its optimising compiler in the background: measured at about
 * 200 ms of CPU and 24 MB of compiler memory, for no gain on so little input. That memory comes from
 * glibc's arena of a background thread, which keeps it: without the re-compile the source's peak
 * RSS at 100 MB of grouped orders fell from 129-133 to 122-126 MB (at 2 GB the runs' spread, 141-153
 * MB, hides any change).
 *
 * Not for the destination, whose JSON check (protocol/json-check.ts) is WebAssembly that needs the
 * optimising compiler. The flag only changes how code is compiled, never what it computes.
 */
import { setFlagsFromString } from 'node:v8';

export function keepWebAssemblyUnoptimised(): void {
  setFlagsFromString('--liftoff-only');
}
