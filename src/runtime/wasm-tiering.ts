/**
 * Keeps WebAssembly in its baseline compiler (Liftoff) for the rest of the process.
 *
 * The source runs one WebAssembly module: the HTTP parser (llhttp) inside Node's `fetch`, which
 * parses the few kilobytes of GraphQL responses a sync receives. After a handful of requests V8
 * re-compiles its main function with its optimising compiler in the background: measured at about
 * 200 ms of CPU and 24 MB of compiler memory, for no gain on so little input. That memory comes from
 * glibc's arena of a background thread, which keeps it: without the re-compile the source's peak
 * RSS was about 6 MB lower at 100 MB and at 2 GB of grouped orders (`npm run bench`).
 *
 * Not for the destination, whose JSON check (protocol/json-check.ts) is WebAssembly that needs the
 * optimising compiler. The flag only changes how code is compiled, never what it computes.
 */
import { setFlagsFromString } from 'node:v8';

export function keepWebAssemblyUnoptimised(): void {
  setFlagsFromString('--liftoff-only');
}
