/**
 * Other CMSs (TRS, Hanweb 大汉 …) as a mirror source: a column's list pages
 * (`index.html`, `index_1.html`, …) lead to its articles, and each article
 * page goes through the saved-page importer (src/cli/import/html.ts), which
 * reads the standard 政府网站 meta tags and the visible metadata table.
 */
import { JSDOM } from 'jsdom';
import { decodeText } from '../import/index.ts';
import { importHtml } from '../import/html.ts';
import { pushTo } from '../import/meta.ts';
import { mapCategory } from './config.ts';
import { applyConfig } from './gkmlpt-item.ts';
import { sha256, stableJson } from './state.ts';
import {
  CrawlError,
  type FetchedItem,
  type ListEntry,
  type Listing,
  type MirrorSource,
  type SourceContext,
} from './types.ts';

const MAX_PAGE_BYTES = 16 * 1024 * 1024;

/** Options of the column source. */
export interface SiteOptions {
  /** List pages read at most (index.html counts as the first). */
  maxPages: number;
}

/** `…/col/index.html` or `…/col/` → the column folder URL and its n-th list page. */
export function listPageUrl(columnUrl: string, n: number): string {
  const u = new URL(columnUrl);
  const folder = u.pathname.replace(/[^/]*$/, '');
  const first = /\/(index\.s?html?)$/.exec(u.pathname)?.[1] ?? 'index.html';
  const name = n === 0 ? first : first.replace(/\.(s?html?)$/, `_${n}.$1`);
  return `${u.origin}${folder}${name}`;
}

/** Article links of a list page: same site, under the column's folder, not list pages. */
export function articleLinks(
  html: string,
  pageUrl: string,
): { url: string; text: string; context: string }[] {
  const doc = new JSDOM(html).window.document;
  const base = new URL(pageUrl);
  const folder = base.pathname.replace(/[^/]*$/, '');
  const out = new Map<string, { url: string; text: string; context: string }>();
  for (const a of doc.querySelectorAll('a[href]')) {
    let u: URL;
    try {
      u = new URL(a.getAttribute('href') ?? '', base);
    } catch {
      continue;
    }
    u.hash = '';
    if (u.origin !== base.origin || !u.pathname.startsWith(folder)) continue;
    if (!/\.s?html?$/i.test(u.pathname) || /\/index(_\d+)?\.s?html?$/i.test(u.pathname)) continue;
    const text = (a.textContent ?? '').trim();
    // The list row (title, date) changes when the portal edits the entry.
    const context = (a.parentElement?.textContent ?? text).replace(/\s+/g, ' ').trim();
    if (!out.has(u.href)) out.set(u.href, { url: u.href, text, context });
  }
  return [...out.values()];
}

/** A CMS column followed through its list pages. */
export class SiteSource implements MirrorSource {
  readonly kind = 'site' as const;
  readonly site: string;

  constructor(
    columnUrl: string,
    private readonly opts: SiteOptions,
  ) {
    this.site = listPageUrl(columnUrl, 0);
  }

  async list(ctx: SourceContext): Promise<Listing> {
    const entries = new Map<string, ListEntry>();
    const u = new URL(this.site);
    const prefix =
      ctx.cfg.idPrefix ??
      `site-${`${u.hostname}${u.pathname.replace(/[^/]*$/, '')}`.replace(/[^A-Za-z0-9.]+/g, '-').replace(/-+$/, '')}`;
    for (let n = 0; n < this.opts.maxPages; n++) {
      const url = listPageUrl(this.site, n);
      const r = await ctx.client.get(url, MAX_PAGE_BYTES);
      if (r.status === 404 && n > 0) break;
      if (r.status !== 200) throw new CrawlError(`${url}: HTTP ${r.status}`);
      if (r.truncated)
        throw new CrawlError(`${url}: list page larger than ${MAX_PAGE_BYTES} bytes`);
      const links = articleLinks(decodeText(r.bytes).text, url);
      if (links.length === 0) {
        if (n === 0)
          throw new CrawlError(`${url}: no article links (an error page served with status 200?)`);
        break;
      }
      for (const l of links) {
        const path = new URL(l.url).pathname;
        const portalId = path.replace(/^.*\//, '').replace(/\.s?html?$/i, '');
        const id = `${prefix}-${portalId.replace(/[^A-Za-z0-9._-]+/g, '-')}`;
        if (entries.has(id)) continue;
        const date = /(\d{4}-\d{2}-\d{2})/.exec(l.context)?.[1];
        entries.set(id, {
          id,
          portalId,
          fingerprint: sha256(stableJson({ url: l.url, text: l.text, context: l.context })),
          url: l.url,
          title: l.text,
          ...(date ? { publishDate: date } : {}),
          data: null,
        });
      }
    }
    return {
      entries: [...entries.values()],
      categories: { column: { name: this.site, count: entries.size } },
      warnings: [],
      complete: true,
    };
  }

  async fetch(entry: ListEntry, ctx: SourceContext): Promise<FetchedItem> {
    const r = await ctx.client.get(entry.url, MAX_PAGE_BYTES);
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    if (r.truncated) throw new Error(`page larger than ${MAX_PAGE_BYTES} bytes`);
    const { text } = decodeText(r.bytes);
    const result = importHtml(`${entry.portalId}.html`, text);
    const errors = result.problems.filter((p) => p.level === 'error');
    // A page the importer cannot read is a failed fetch (often an error page), not an item to review.
    if (errors.length > 0 || result.items.length !== 1)
      throw new Error(
        `not an article page: ${errors.map((p) => p.reason).join('; ') || 'no item'}`,
      );
    const item = result.items[0];
    item.id = entry.id;
    const src = (item.source ?? {}) as Record<string, unknown>;
    item.source = { ...src, url: entry.url };
    if (!item.infoCategory) {
      // The page's ColumnName through the same mapping tables as gkmlpt categories.
      const column = typeof src.column === 'string' ? src.column : undefined;
      const cat = mapCategory([column], ctx.cfg);
      item.infoCategory = cat?.key ?? 'other';
      pushTo(
        item,
        'inferred',
        cat
          ? `infoCategory ${cat.key} from ${cat.by}`
          : `infoCategory other: no mapping for column ${column ?? '(none)'} (add one to categoryMap)`,
      );
    }
    applyConfig(item, entry.id, ctx.cfg);
    const notes = result.problems.map(
      (p) => `${p.level} ${p.field ?? ''}${p.element ? ` (${p.element})` : ''}: ${p.reason}`,
    );
    return { item, attachments: [], notes };
  }
}
