/**
 * Global test setup: services every suite may need are started here, once per run.
 * Each service module exports its own start/stop; this file only wires them in.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const teardowns: Array<() => Promise<void>> = [];
  return async () => {
    for (const teardown of teardowns.reverse()) await teardown();
  };
}
