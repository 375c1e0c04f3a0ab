/**
 * The Guangdong 政府信息公开目录 platform (gkmlpt) as a mirror source:
 * discovery from `window._CONFIG` of `/gkmlpt/index` (SID, category TREE),
 * listing through `/gkmlpt/api/all/<category>?page=<n>&sid=<SID>` in both
 * paging behaviours, details from `window._CONFIG.DETAIL`. Shapes are in
 * docs/import.md ("Mirror your portal").
 */
import { AttachmentSkipped, downloadAttachment } from './attachments.ts';
import { articleToNotice, attachmentRefs, portalDate, str } from './gkmlpt-item.ts';
import { textOf, type PoliteClient } from './http.ts';
import { readPageConfig } from './page-config.ts';
import { sha256, stableJson } from './state.ts';
import {
  CrawlError,
  type FetchedAttachment,
  type ListEntry,
  type Listing,
  type MirrorSource,
  type SourceContext,
} from './types.ts';

type Rec = Record<string, unknown>;
const isRecord = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);

/** List pages and index pages are small; more than this is not a list page. */
const MAX_PAGE_BYTES = 32 * 1024 * 1024;
/** A guard against a portal that never stops paging. */
const MAX_PAGES = 5000;

/** A category of the TREE. */
export interface Category {
  id: string;
  name: string;
  /** Declared item count, when the tree gives one. */
  postCount?: number;
}

/** `https://x/yjzjj/gkmlpt/index#721` → `https://x/yjzjj` (the site with its department prefix). */
export function siteBase(url: string): string {
  const u = new URL(url);
  const path = u.pathname.replace(/\/gkmlpt(\/.*)?$/, '').replace(/\/+$/, '');
  return `${u.origin}${path}`;
}

/** The leaf categories of a TREE (nodes with `jump_url` point elsewhere and are skipped). */
export function leafCategories(tree: unknown): {
  leaves: Category[];
  all: (Category & { leaves: Category[] })[];
} {
  const all: (Category & { leaves: Category[] })[] = [];
  const walk = (nodes: unknown): Category[] => {
    const leaves: Category[] = [];
    for (const n of Array.isArray(nodes) ? nodes : []) {
      if (!isRecord(n) || str(n.jump_url)) continue;
      const id = str(n.id);
      if (!id) continue;
      const cat: Category = { id, name: str(n.name) ?? id };
      if (typeof n.post_count === 'number') cat.postCount = n.post_count;
      const kids = Array.isArray(n.children) && n.children.length > 0 ? walk(n.children) : [cat];
      all.push({ ...cat, leaves: kids });
      leaves.push(...kids);
    }
    return leaves;
  };
  return { leaves: walk(tree), all };
}

/** Parses a list page: JSON with an `articles` array, else a {@link CrawlError} saying what it was. */
export function parseListPage(
  text: string,
  url: string,
  truncated: boolean,
): { articles: Rec[]; total?: number } {
  if (truncated) throw new CrawlError(`${url}: list page larger than ${MAX_PAGE_BYTES} bytes`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const head = text.trimStart().slice(0, 1);
    throw new CrawlError(
      head === '<'
        ? `${url}: an HTML page where JSON was expected (an error page served with status 200?)`
        : `${url}: truncated or invalid JSON (${e instanceof Error ? e.message : String(e)})`,
    );
  }
  if (!isRecord(data) || !Array.isArray(data.articles))
    throw new CrawlError(`${url}: JSON without an "articles" list (not a gkmlpt list response)`);
  const classify = isRecord(data.classify) ? data.classify : {};
  const t = classify.post_count ?? data.total ?? classify.total;
  const total =
    typeof t === 'number' ? t : typeof t === 'string' && /^\d+$/.test(t) ? Number(t) : undefined;
  return { articles: data.articles.filter(isRecord), ...(total !== undefined ? { total } : {}) };
}

/** Fields of a list entry that change without the item changing (view counters). */
const VOLATILE = /click|visit|view|hits|read_count|pv$/i;

/** Options of the gkmlpt source. */
export interface GkmlptOptions {
  /** Category ids or names to mirror; empty = every leaf category. */
  categories: string[];
}

/** The gkmlpt platform of one site (with its department prefix). */
export class GkmlptSource implements MirrorSource {
  readonly kind = 'gkmlpt' as const;
  readonly site: string;
  private sid = '';
  private siteName: string | undefined;

  constructor(
    siteUrl: string,
    private readonly opts: GkmlptOptions,
  ) {
    this.site = siteBase(siteUrl);
  }

  /** Item id: `<prefix>-<portal id>`, prefix from the config or host and path. */
  private idPrefix(ctx: SourceContext): string {
    if (ctx.cfg.idPrefix) return ctx.cfg.idPrefix;
    const u = new URL(this.site);
    return `gk-${`${u.hostname}${u.pathname}`.replace(/[^A-Za-z0-9.]+/g, '-').replace(/-+$/, '')}`;
  }

  private async discover(client: PoliteClient): Promise<Category[]> {
    const url = `${this.site}/gkmlpt/index`;
    const r = await client.get(url, MAX_PAGE_BYTES);
    if (r.status !== 200) throw new CrawlError(`${url}: HTTP ${r.status}`);
    let config: Rec | null;
    try {
      config = readPageConfig(textOf(r));
    } catch (e) {
      throw new CrawlError(
        `${url}: a script setting window._CONFIG does not parse (${e instanceof Error ? e.message : String(e)})`,
      );
    }
    const sid = config ? str(config.SID) : undefined;
    if (!config || !sid)
      throw new CrawlError(
        `${url}: no window._CONFIG with a SID (not a gkmlpt index page: an error page?)`,
      );
    this.sid = sid;
    this.siteName = str(config.SITE_NAME) ?? str(config.site_name);
    const { leaves, all } = leafCategories(config.TREE);
    if (leaves.length === 0)
      throw new CrawlError(`${url}: window._CONFIG.TREE lists no categories`);
    if (this.opts.categories.length === 0) return leaves;
    const chosen = new Map<string, Category>();
    for (const want of this.opts.categories) {
      const hits = all.filter((c) => c.id === want || c.name === want);
      if (hits.length === 0)
        throw new CrawlError(
          `--categories: no category "${want}" on ${url} (ids and names of window._CONFIG.TREE)`,
        );
      for (const h of hits) for (const l of h.leaves) chosen.set(l.id, l);
    }
    return [...chosen.values()];
  }

  /** Every item of one category, both paging behaviours. */
  private async listCategory(
    cat: Category,
    client: PoliteClient,
  ): Promise<{ articles: Rec[]; total?: number }> {
    const byId = new Map<string, Rec>();
    let total: number | undefined;
    for (let page = 1; page <= MAX_PAGES; page++) {
      const url = `${this.site}/gkmlpt/api/all/${encodeURIComponent(cat.id)}?page=${page}&sid=${encodeURIComponent(this.sid)}`;
      const r = await client.get(url, MAX_PAGE_BYTES);
      // Sites that return everything on one page answer 404 from page 2 on.
      if (r.status === 404 && page > 1) break;
      if (r.status !== 200) throw new CrawlError(`${url}: HTTP ${r.status}`);
      const p = parseListPage(textOf(r), url, r.truncated);
      total ??= p.total;
      let fresh = 0;
      for (const a of p.articles) {
        const id = str(a.id);
        if (!id) continue;
        if (!byId.has(id)) fresh++;
        byId.set(id, a);
      }
      // Empty page, a repeat of the last one (one-page sites), or the count reached.
      if (p.articles.length === 0 || fresh === 0) break;
      if (total !== undefined && byId.size >= total) break;
    }
    return { articles: [...byId.values()], ...(total !== undefined ? { total } : {}) };
  }

  async list(ctx: SourceContext): Promise<Listing> {
    const cats = await this.discover(ctx.client);
    const prefix = this.idPrefix(ctx);
    const entries = new Map<string, ListEntry>();
    const categories: Listing['categories'] = {};
    const warnings: string[] = [];
    for (const cat of cats) {
      const { articles, total } = await this.listCategory(cat, ctx.client);
      const prev = ctx.previous?.categories[cat.id]?.count;
      const share = ctx.cfg.minListedShare;
      if (prev !== undefined && prev > 0 && articles.length < prev * share)
        throw new CrawlError(
          `category ${cat.id} ${cat.name}: lists ${articles.length} items, last run ${prev} (below ${Math.round(share * 100)} %: a broken listing, not withdrawals)`,
        );
      if (total !== undefined && articles.length < total) {
        if (articles.length < total * share)
          throw new CrawlError(
            `category ${cat.id} ${cat.name}: listed ${articles.length} of the ${total} items it reports (truncated listing)`,
          );
        warnings.push(
          `category ${cat.id} ${cat.name}: listed ${articles.length} of the ${total} items it reports`,
        );
      }
      categories[cat.id] = { name: cat.name, count: articles.length };
      for (const a of articles) {
        const portalId = str(a.id) ?? '';
        const id = `${prefix}-${portalId}`;
        if (entries.has(id)) continue;
        const href = str(a.url) ?? str(a.post_url);
        let url: string;
        try {
          url = href ? new URL(href, `${this.site}/`).href : '';
        } catch {
          url = '';
        }
        const stable = Object.fromEntries(Object.entries(a).filter(([k]) => !VOLATILE.test(k)));
        const published =
          portalDate(a.created_at) ?? portalDate(a.display_publish_time) ?? portalDate(a.date);
        entries.set(id, {
          id,
          portalId,
          fingerprint: sha256(stableJson(stable)),
          url,
          title: str(a.title) ?? '',
          ...(published ? { publishDate: published.slice(0, 10) } : {}),
          column: cat.name,
          category: cat.id,
          data: a,
        });
      }
    }
    return {
      entries: [...entries.values()],
      categories,
      warnings,
      complete: this.opts.categories.length === 0,
    };
  }

  async fetch(
    entry: ListEntry,
    ctx: SourceContext,
  ): Promise<{ item: Rec; attachments: FetchedAttachment[]; notes: string[] }> {
    if (!entry.url) throw new Error('the list entry has no url/post_url: no detail page to read');
    const r = await ctx.client.get(entry.url, MAX_PAGE_BYTES);
    if (r.status !== 200) throw new Error(`HTTP ${r.status}`);
    if (r.truncated) throw new Error(`detail page larger than ${MAX_PAGE_BYTES} bytes`);
    let config: Rec | null;
    try {
      config = readPageConfig(textOf(r));
    } catch (e) {
      throw new Error(
        `window._CONFIG.DETAIL unreadable: ${e instanceof Error ? e.message : String(e)} (truncated page?)`,
        { cause: e },
      );
    }
    const detail = config?.DETAIL;
    if (!isRecord(detail))
      throw new Error(
        'no window._CONFIG.DETAIL in the page (an error page served with status 200?)',
      );
    const listed = entry.data as Rec;
    const merged: Rec = { ...listed };
    for (const [k, v] of Object.entries(detail))
      if (v !== null && v !== undefined && v !== '') merged[k] = v;
    const { item, problems } = articleToNotice(merged, {
      id: entry.id,
      url: entry.url,
      ...(this.siteName ? { siteName: this.siteName } : {}),
      ...(entry.column ? { column: entry.column } : {}),
      cfg: ctx.cfg,
    });
    const notes = [...problems];
    const attachments: FetchedAttachment[] = [];
    for (const ref of attachmentRefs(merged, entry.url)) {
      try {
        attachments.push(
          await downloadAttachment(ctx.client, ref.url, ref.name, ctx.cfg.maxAttachmentBytes),
        );
      } catch (e) {
        if (!(e instanceof AttachmentSkipped)) throw e;
        notes.push(`warning attachments: ${e.message}`);
        const flags = Array.isArray(item.qualityFlags) ? (item.qualityFlags as string[]) : [];
        item.qualityFlags = [...flags, `attachment not mirrored: ${e.message}`];
      }
    }
    if (attachments.length > 0)
      item.attachments = attachments.map((a) => ({
        name: a.name,
        mime: a.mime,
        sha256: a.sha256,
        size: a.bytes.byteLength,
      }));
    return { item, attachments, notes };
  }
}
