/**
 * Web Worker entry for search: builds the index off the main thread (so the
 * UI stays responsive during a bundle switch), hands back the serialised
 * index for the shell to persist, and answers queries.
 *
 * Messages in: {@link WorkerRequest}; out: {@link WorkerResponse}. Create with
 * `new Worker(new URL('../search/worker.ts', import.meta.url), { type: 'module' })`.
 */
import {
  buildIndex,
  deserializeIndex,
  serializeIndex,
  type BuildOptions,
  type SearchIndex,
} from './index.ts';
import type { QueryOptions, SearchDoc, SearchResult } from './types.ts';

export type WorkerRequest =
  | { type: 'build'; seq: number; docs: SearchDoc[]; options?: BuildOptions }
  | { type: 'load'; seq: number; buffer: ArrayBuffer }
  | { type: 'search'; seq: number; query: string; options?: QueryOptions };

export type WorkerResponse =
  | { type: 'built'; seq: number; buffer: ArrayBuffer; ms: number; size: number }
  | { type: 'loaded'; seq: number; size: number; sourceKey: string }
  | { type: 'results'; seq: number; results: SearchResult[] }
  | { type: 'error'; seq: number; message: string };

/** The part of a dedicated worker's global scope this module uses. */
interface WorkerScope {
  addEventListener(type: 'message', fn: (e: MessageEvent<WorkerRequest>) => void): void;
  postMessage(message: WorkerResponse, transfer?: Transferable[]): void;
}

let index: SearchIndex | null = null;

/** Handles one request; exported so it can be tested without a worker. */
export function handle(req: WorkerRequest): { res: WorkerResponse; transfer: Transferable[] } {
  try {
    if (req.type === 'build') {
      const t0 = performance.now();
      index = buildIndex(req.docs, req.options);
      // The serialised copy is transferred to the page; the worker keeps the index it built
      // (copying and reloading the buffer here cost a few hundred ms before the reply).
      const buffer = serializeIndex(index);
      return {
        res: { type: 'built', seq: req.seq, buffer, ms: performance.now() - t0, size: index.size },
        transfer: [buffer],
      };
    }
    if (req.type === 'load') {
      index = deserializeIndex(req.buffer);
      return {
        res: { type: 'loaded', seq: req.seq, size: index.size, sourceKey: index.meta.sourceKey },
        transfer: [],
      };
    }
    if (!index) throw new Error('search worker: no index loaded or built yet');
    return {
      res: { type: 'results', seq: req.seq, results: index.search(req.query, req.options) },
      transfer: [],
    };
  } catch (e) {
    return {
      res: { type: 'error', seq: req.seq, message: e instanceof Error ? e.message : String(e) },
      transfer: [],
    };
  }
}

const scope = globalThis as unknown as Partial<WorkerScope>;
if (
  typeof scope.postMessage === 'function' &&
  typeof scope.addEventListener === 'function' &&
  !('document' in globalThis)
) {
  const worker = scope as WorkerScope;
  worker.addEventListener('message', (e) => {
    const { res, transfer } = handle(e.data);
    worker.postMessage(res, transfer);
  });
}
