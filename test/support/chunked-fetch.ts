/** A fetch that serves `body` in chunks of `chunkBytes`, so lines span chunk boundaries. */
export function servingInChunks(body: string, chunkBytes: number): typeof fetch {
  return (async () => {
    const bytes = Buffer.from(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += chunkBytes) controller.enqueue(bytes.subarray(i, i + chunkBytes));
        controller.close();
      },
    });
    return new Response(stream, { status: 200, headers: { 'content-length': String(bytes.length) } });
  }) as typeof fetch;
}
