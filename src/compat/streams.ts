/**
 * Async iteration of ReadableStream (`for await (const chunk of stream)`),
 * which Chromium has only since 124 and pdf.js's text layer uses. The same
 * loop over a reader that the standard defines; the lock is released when the
 * loop ends or breaks.
 */
if (typeof ReadableStream === 'function' && !(Symbol.asyncIterator in ReadableStream.prototype)) {
  Object.defineProperty(ReadableStream.prototype, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    value: async function* iterate<T>(this: ReadableStream<T>): AsyncGenerator<T, void, undefined> {
      const reader = this.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          yield value;
        }
      } finally {
        reader.releaseLock();
      }
    },
  });
}
