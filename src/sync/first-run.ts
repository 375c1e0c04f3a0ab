import { sha256Hex } from '../content/bundle.ts';
import type { Item } from '../content/types.ts';
import type { Store, StoredObject } from '../data/db.ts';

/**
 * Stopgap first-run loader, used only while the build does not yet publish a
 * signed demo bundle: when the manifest is missing (HTTP 404) and nothing is
 * stored, it stores the demo items the build emits at `demo/items.json` as
 * version 0, so the kiosk never shows nothing. Any signed bundle (version ≥ 1)
 * replaces it. Delete this file once `dist/bundles/demo/` is built.
 */
export async function loadStopgapDemo(base: string, store: Store): Promise<void> {
  const res = await fetch(new URL('demo/items.json', base));
  if (!res.ok) throw new Error(`demo/items.json: HTTP ${res.status}`);
  const items = (await res.json()) as unknown;
  if (!Array.isArray(items)) throw new Error('demo/items.json: not an array of items');
  const objects: StoredObject[] = [];
  const refs: [string, string][] = [];
  for (const item of items as Item[]) {
    const bytes = new TextEncoder().encode(JSON.stringify({ item }));
    const sha256 = await sha256Hex(bytes);
    objects.push({ sha256, size: bytes.length, kind: 'item', json: { item } });
    refs.push([item.id, sha256]);
  }
  const now = new Date().toISOString();
  await store.commitVersion(
    {
      version: 0,
      bundleId: 'gongkai-demo',
      generatedAt: now,
      expiresAt: null,
      keyId: 'stopgap',
      demo: true,
      itemCount: refs.length,
      totalBytes: objects.reduce((n, o) => n + o.size, 0),
      committedAt: now,
      items: refs,
      objects: refs.map(([, sha]) => sha),
      files: [],
    },
    objects,
  );
}
