/**
 * Attachment downloads: PDF and Office files (.pdf .doc .docx .xls .xlsx
 * .wps .et .ofd) are kept as attachments, checked by their first bytes so an
 * HTML error page served with status 200 under a `.pdf` name is caught. Files
 * over the size limit are skipped and noted, never cut.
 */
import type { PoliteClient } from './http.ts';
import { sha256 } from './state.ts';
import type { FetchedAttachment } from './types.ts';

/** Extension → MIME type of the attachment kinds the mirror keeps. */
export const ATTACHMENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  wps: 'application/vnd.ms-works',
  et: 'application/vnd.ms-excel',
  ofd: 'application/ofd',
};

/** The file's first bytes match its kind: `%PDF`, OLE2 (doc/xls/wps/et) or ZIP (docx/xlsx/ofd). */
export function magicMatches(ext: string, b: Uint8Array): boolean {
  const starts = (...sig: number[]): boolean => sig.every((x, i) => b[i] === x);
  if (ext === 'pdf') return starts(0x25, 0x50, 0x44, 0x46);
  if (['doc', 'xls', 'wps', 'et'].includes(ext))
    return starts(0xd0, 0xcf, 0x11, 0xe0) || starts(0x50, 0x4b, 0x03, 0x04);
  return starts(0x50, 0x4b, 0x03, 0x04);
}

/** Why an attachment was not kept (the item is still mirrored, with a note). */
export class AttachmentSkipped extends Error {}

/**
 * Downloads one attachment. Throws {@link AttachmentSkipped} for a file the
 * mirror does not keep (unknown kind, over the size limit), any other error
 * when the download failed (the item then fails and is retried next run).
 */
export async function downloadAttachment(
  client: PoliteClient,
  url: string,
  name: string,
  maxBytes: number,
): Promise<FetchedAttachment> {
  const ext = (/\.([A-Za-z0-9]+)$/.exec(new URL(url).pathname)?.[1] ?? '').toLowerCase();
  const mime = ATTACHMENT_TYPES[ext];
  if (!mime)
    throw new AttachmentSkipped(
      `${url}: not a PDF or Office file (.${ext || '?'}), link kept in the body only`,
    );
  const r = await client.get(url, maxBytes + 1);
  if (r.status !== 200) throw new Error(`attachment ${url}: HTTP ${r.status}`);
  if (r.truncated || r.bytes.byteLength > maxBytes)
    throw new AttachmentSkipped(`${url}: larger than ${maxBytes} bytes, not downloaded`);
  if (!magicMatches(ext, r.bytes)) {
    const head = new TextDecoder().decode(r.bytes.subarray(0, 64)).trim().toLowerCase();
    throw new Error(
      `attachment ${url}: not a .${ext} file${head.startsWith('<') ? ' (an HTML page: error page with status 200?)' : ''}`,
    );
  }
  return { name, mime, ext, sha256: sha256(r.bytes), bytes: r.bytes };
}
