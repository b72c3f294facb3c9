/** A small semaphore bounding concurrent uploads (and so the disk and memory they hold). */
export interface UploadSlots {
  acquire(): Promise<() => void>;
}

export function createUploadSlots(limit: number): UploadSlots {
  let active = 0;
  const waiting: Array<() => void> = [];
  const release = (): void => {
    active--;
    const next = waiting.shift();
    if (next) {
      active++;
      next();
    }
  };
  return {
    acquire() {
      if (active < limit) {
        active++;
        return Promise.resolve(release);
      }
      return new Promise((resolve) => waiting.push(() => resolve(release)));
    },
  };
}
