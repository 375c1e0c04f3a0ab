/**
 * Shapes shared by the mirror's sources (gkmlpt, generic column pages) and
 * the run engine that turns their listings into content files.
 */
import type { RawItem } from '../import/types.ts';
import type { MirrorConfig } from './config.ts';
import type { PoliteClient } from './http.ts';
import type { MirrorState } from './state.ts';

/**
 * The crawl cannot be trusted (error page, truncated JSON, a listing that
 * shrank, too many failures): the run stops and changes no content.
 */
export class CrawlError extends Error {
  override name = 'CrawlError';
}

/** One item as the portal lists it, before its detail is fetched. */
export interface ListEntry {
  /** The Gongkai item id (stable per site and portal id). */
  id: string;
  portalId: string;
  /** Changes whenever the list entry does: a new fingerprint means "fetch again". */
  fingerprint: string;
  url: string;
  title: string;
  /** `YYYY-MM-DD` when the listing tells, for `--since`. */
  publishDate?: string;
  /** Category the item was listed under: its name, and its id when the portal has ids. */
  column?: string;
  category?: string;
  /** Source-specific data the fetch step needs (e.g. the list entry itself). */
  data: unknown;
}

/** An attachment downloaded for an item. */
export interface FetchedAttachment {
  name: string;
  mime: string;
  ext: string;
  sha256: string;
  bytes: Uint8Array;
}

/** A fetched, mapped item ready for validation. */
export interface FetchedItem {
  item: RawItem;
  attachments: FetchedAttachment[];
  /** Notes of the mapping (sanitiser removals, skipped attachments) for the review. */
  notes: string[];
}

/** The whole listing of a site. */
export interface Listing {
  entries: ListEntry[];
  categories: Record<string, { name: string; count: number }>;
  /** Doubts that do not stop the run (shown in the report). */
  warnings: string[];
  /** True when every category was listed (else only items of listed categories can be withdrawn). */
  complete: boolean;
}

/** What a source needs from the run. */
export interface SourceContext {
  client: PoliteClient;
  cfg: MirrorConfig;
  previous: MirrorState | null;
}

/** A portal the engine can mirror. */
export interface MirrorSource {
  kind: MirrorState['kind'];
  /** The site, as recorded in the state and the report. */
  site: string;
  /** Lists every item; throws {@link CrawlError} when the listing is not trustworthy. */
  list(ctx: SourceContext): Promise<Listing>;
  /** Fetches and maps one item; throws (any error) when this item failed. */
  fetch(entry: ListEntry, ctx: SourceContext): Promise<FetchedItem>;
}
