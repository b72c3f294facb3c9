/**
 * Global test setup: services every suite may need are started here, once per run.
 * Each service module exports its own start/stop; this file only wires them in.
 */
import type { TestProject } from 'vitest/node';
import { EMULATOR_ENV, emulatorInstalled, startGcsEmulator } from './gcs-emulator.js';
import { startOutputCapture } from './output-capture.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's GCS emulator ('' when it is not installed); tests isolate by bucket. */
    gcsEmulatorUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const teardowns: Array<() => Promise<void>> = [];

  // Every byte a connector prints in this run is captured and scanned for canary secrets at the end.
  teardowns.push(startOutputCapture());

  // One GCS emulator for the whole run.
  let gcsEmulatorUrl = '';
  if (emulatorInstalled()) {
    const emulator = await startGcsEmulator();
    gcsEmulatorUrl = emulator.url;
    teardowns.push(() => emulator.stop());
  }
  process.env[EMULATOR_ENV] = gcsEmulatorUrl;
  project.provide('gcsEmulatorUrl', gcsEmulatorUrl);

  return async () => {
    for (const teardown of teardowns.reverse()) await teardown();
  };
}
