// The libraries' view of this project's search documents: id, title, and
// everything else as one text. Computed on both sides (the driver in Node for
// keystrokes and relevance, the page in Chromium) instead of shipping the
// same 10 M characters twice in the page's data file.
import type { SearchDoc } from '../../../../src/search/types.ts';
import type { PeerDoc } from './types.ts';

/** The same text as `docs`, flattened for MiniSearch and FlexSearch. */
export function peerDocsOf(docs: readonly SearchDoc[]): PeerDoc[] {
  return docs.map((doc) => ({
    id: doc.id,
    title: doc.title,
    text: [doc.summary ?? '', doc.text, doc.docNo ?? '', doc.indexNo ?? ''].join('\n'),
  }));
}
