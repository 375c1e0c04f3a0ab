import type { Calendar } from '../content/types.ts';
import type { ItemFile } from '../content/bundle.ts';
import type { Store, VersionRecord } from '../data/db.ts';
import {
  buildIndex,
  deserializeIndex,
  parseSynonyms,
  serializeIndex,
  toSearchDoc,
  type BuildOptions,
  type CharPinyinTable,
  type DerivedSearchData,
  type SearchIndex,
  type SynonymTable,
} from '../search/index.ts';
import type { WorkerResponse } from '../search/worker.ts';
// Vite bundles the worker as its own module and gives its URL (a Trusted Types sink below).
import searchWorkerUrl from '../search/worker.ts?worker&url';

/** The singleton files of a version the kiosk uses besides its items. */
export interface BundleExtras {
  calendar: Calendar | null;
  charPinyin: CharPinyinTable | null;
  synonyms: SynonymTable | null;
}

function objectJson(obj: { json?: unknown; bytes?: ArrayBuffer } | undefined): unknown {
  if (!obj) return null;
  if (obj.json !== undefined) return obj.json;
  if (!obj.bytes) return null;
  return JSON.parse(new TextDecoder().decode(obj.bytes)) as unknown;
}

/** Reads the calendar, the character→pinyin table and the synonyms of a version. */
export async function loadBundleExtras(store: Store, record: VersionRecord): Promise<BundleExtras> {
  const wanted = record.files.filter((f) => ['calendar', 'search', 'synonyms'].includes(f.role));
  const objects = await store.getObjects(wanted.map((f) => f.sha256));
  const extras: BundleExtras = { calendar: null, charPinyin: null, synonyms: null };
  for (const f of wanted) {
    try {
      const json = objectJson(objects.get(f.sha256));
      if (f.role === 'calendar') extras.calendar = json as Calendar;
      else if (f.role === 'search' && (f.name ?? '').includes('pinyin')) {
        extras.charPinyin = json as CharPinyinTable;
      } else if (f.role === 'synonyms') extras.synonyms = parseSynonyms(json, f.name ?? 'synonyms');
    } catch (err) {
      // A bad extra file degrades one feature (e.g. homophone matching); content still shows.
      console.error(`[gongkai] ${f.role} file ${f.sha256}:`, err);
    }
  }
  return extras;
}

interface TrustedTypesFactory {
  createPolicy(
    name: string,
    rules: { createScriptURL(input: string): string },
  ): { createScriptURL(input: string): { toString(): string } };
}

/** Name of the Trusted Types policy that may create the search worker's URL (listed in the CSP). */
export const WORKER_POLICY_NAME = 'gongkai-worker';

// Worker script URLs are a Trusted Types sink under the app's CSP. Created on
// first use (a policy name can be created only once per page).
let workerPolicy: ReturnType<TrustedTypesFactory['createPolicy']> | null = null;
export function workerScriptUrl(url: string): string {
  const tt = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (!tt) return url;
  workerPolicy ??= tt.createPolicy(WORKER_POLICY_NAME, {
    createScriptURL: (input: string) => {
      if (new URL(input, location.href).origin !== location.origin) {
        throw new TypeError(`refusing a worker from another origin: ${input}`);
      }
      return input;
    },
  });
  // A TrustedScriptURL is accepted wherever the DOM types say string.
  return workerPolicy.createScriptURL(url) as unknown as string;
}

/** Builds the index in a Web Worker so the screen stays responsive; falls back to this thread. */
async function buildInWorker(
  docs: ReturnType<typeof toSearchDoc>[],
  options: BuildOptions,
): Promise<ArrayBuffer> {
  const worker = new Worker(workerScriptUrl(new URL(searchWorkerUrl, location.href).href), {
    type: 'module',
  });
  try {
    return await new Promise<ArrayBuffer>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<WorkerResponse>) => {
        if (e.data.type === 'built') resolve(e.data.buffer);
        else reject(new Error(e.data.type === 'error' ? e.data.message : e.data.type));
      };
      worker.onerror = (e) => reject(new Error(e.message || 'search worker failed'));
      worker.postMessage({ type: 'build', seq: 1, docs, options });
    });
  } finally {
    worker.terminate();
  }
}

/**
 * The search index of the active version: the persisted one when it was built
 * from the same version, else built afresh (in a worker) and persisted. After
 * a switch the new index is returned as soon as it is built; writing it (tens
 * of MB for 10,000 items) to IndexedDB goes on in the background.
 */
export async function prepareSearch(
  store: Store,
  record: VersionRecord,
  items: readonly ItemFile[],
  extras: BundleExtras,
): Promise<SearchIndex> {
  const sourceKey = `${record.bundleId}@${record.version}`;
  // The key alone first: reading the whole stored index of the previous version
  // just to find it is stale cost as much as building a new one.
  const savedKey = await store.getMeta('searchIndexKey');
  const saved =
    savedKey === undefined || savedKey === sourceKey ? await store.getMeta('searchIndex') : null;
  if (saved?.sourceKey === sourceKey) {
    try {
      return deserializeIndex(saved.buffer.slice(0));
    } catch (err) {
      console.error('[gongkai] persisted search index unreadable, rebuilding:', err);
    }
  }
  const docs = items.map((f) =>
    toSearchDoc(
      f.item as Parameters<typeof toSearchDoc>[0],
      f.derived as Partial<DerivedSearchData> | null,
    ),
  );
  const options: BuildOptions = {
    charPinyin: extras.charPinyin,
    synonyms: extras.synonyms,
    sourceKey,
  };
  let buffer: ArrayBuffer | null = null;
  // Always in a worker when there is one: even the 24-item demo bundle's index
  // (with the char→pinyin table) took one of the longest main-thread tasks of
  // a first visit, which Lighthouse counts as blocking time.
  if (typeof Worker === 'function') {
    try {
      buffer = await buildInWorker(docs, options);
    } catch (err) {
      console.warn('[gongkai] search worker unavailable, building on the page:', err);
    }
  }
  buffer ??= serializeIndex(buildIndex(docs, options));
  // The index first, then its key: a crash in between leaves a key that does not
  // match the active version, so the index is rebuilt, never a wrong one used.
  const copy = buffer.slice(0);
  void store
    .setMeta('searchIndex', { sourceKey, buffer: copy })
    .then(() => store.setMeta('searchIndexKey', sourceKey))
    .catch((err: unknown) => {
      // Only costs a rebuild at the next start.
      console.warn('[gongkai] could not keep the search index:', err);
    });
  return deserializeIndex(buffer);
}
