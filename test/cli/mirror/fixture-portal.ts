// A gkmlpt portal on loopback, generated from the shapes documented in
// /work/shared/reference/gkmlpt.md (copied into docs/import.md), never from a
// real site: the index page's window._CONFIG (SID, TREE with a jump_url node),
// the list API in both paging behaviours, detail pages with an escaped
// window._CONFIG.DETAIL, EXT_ fields, dates as Unix seconds or strings, missing
// fields, PDF attachments, and every failure mode a mirror must survive:
// error pages with status 200, truncated JSON, slow responses, withdrawn items,
// a listing that suddenly shrinks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Mutable knobs: tests change them between runs. */
export interface PortalFaults {
  /** The index page is an HTML error page (status 200). */
  indexError?: boolean;
  /** These leaf categories are missing from the index page's TREE. */
  treeWithout?: Set<string>;
  /** These categories' list pages are an HTML error page with status 200. */
  listErrorPage?: Set<string>;
  /** These categories' list pages are cut in the middle of the JSON. */
  listTruncated?: Set<string>;
  /** These categories list only their first N items (a broken backend). */
  listOnly?: Map<string, number>;
  /** These items' detail pages are an error page with status 200. */
  detailErrorPage?: Set<number>;
  /** These items' detail pages stop in the middle of DETAIL. */
  detailTruncated?: Set<number>;
  /** These items' attachments are served as an HTML error page. */
  attachmentErrorPage?: Set<number>;
  /** Every response waits this long. */
  slowMs?: number;
}

export interface PortalOptions {
  items: number;
  /** 'paged': pages until empty; 'single': everything on page 1, page ≥ 2 → 404. */
  paging: 'paged' | 'single';
  pageSize?: number;
  /** Department prefix, e.g. '/yjzjj'. */
  prefix?: string;
  /** Add items that must be held for review (no 发布机构; a mobile number in the body). */
  flawed?: boolean;
}

/** Leaf categories of the fixture TREE (a jump_url node and a parent node besides). */
export const LEAVES = [
  { id: '701', name: '规划计划' },
  { id: '702', name: '财政预决算' },
  { id: '703', name: '通知公告' },
] as const;

const GENRES = ['通知', '公告', '方案', '报告'] as const;
const THEMES = ['城乡建设', '财政', '综合政务'] as const;

/** A fake PDF: the magic bytes and a little body. */
export const PDF_BYTES = new TextEncoder().encode('%PDF-1.4\n% fixture attachment\n%%EOF\n');

export interface Portal {
  /** `http://127.0.0.1:<port>` + prefix: what `mirror gkmlpt` is given. */
  readonly siteUrl: string;
  readonly faults: PortalFaults;
  /** Live item ids (portal ids). */
  readonly ids: number[];
  /** Requests served, by path kind. */
  readonly stats: {
    total: number;
    list: number;
    detail: number;
    attachment: number;
    index: number;
  };
  readonly userAgents: Set<string>;
  /** Changes an item's title (its list entry changes, as on an edit). */
  edit(id: number): void;
  /** Withdraws an item from the portal. */
  withdraw(id: number): void;
  /** Adds a new item. */
  add(): number;
  close(): Promise<void>;
}

type Article = Record<string, unknown>;

const pad = (n: number): string => String(n).padStart(2, '0');

/** Starts a fixture portal on a free loopback port. */
export async function startPortal(opts: PortalOptions): Promise<Portal> {
  const prefix = opts.prefix ?? '';
  const pageSize = opts.pageSize ?? 100;
  const faults: PortalFaults = {};
  const stats = { total: 0, list: 0, detail: 0, attachment: 0, index: 0 };
  const userAgents = new Set<string>();
  const edits = new Map<number, number>();
  const live: number[] = [];
  let origin = '';
  let next = 1000;
  const flawed = new Set<number>();
  const add = (): number => {
    live.push(next);
    return next++;
  };
  for (let i = 0; i < opts.items; i++) add();
  if (opts.flawed) {
    flawed.add(add());
    flawed.add(add());
  }

  const catOf = (id: number): string => LEAVES[id % LEAVES.length].id;
  const detailPath = (id: number): string =>
    `${prefix}/gkmlpt/content/${id % 7}/${id}/post_${id}.html`;
  /** The list entry of an item: the documented fields, varied the way real sites vary. */
  const article = (id: number): Article => {
    const i = id - 1000;
    const day = new Date(Date.UTC(2026, 2, 1 + (i % 200)));
    const ymd = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
    const unix = Math.floor(day.getTime() / 1000);
    const a: Article = {
      id,
      title: `测试市关于第${i}项工作的${GENRES[i % GENRES.length]}${edits.has(id) ? `（第${edits.get(id)}次修订）` : ''}`,
      document_number: i % 3 === 0 ? `测府办〔2026〕${i}号` : '',
      identifier: `11440000MB2C00000X/2026-${String(i).padStart(5, '0')}`,
      publisher: '测试市人民政府办公室',
      keywords: i % 2 === 0 ? '工作,通知' : '',
      // 成文日期: Unix seconds on most sites, a date string on some.
      date: i % 3 === 0 ? unix : ymd,
      abstract: `第${i}项工作的内容概述。`,
      classify_main_name: LEAVES[id % LEAVES.length].name,
      classify_genre_name: GENRES[i % GENRES.length],
      classify_theme_name: THEMES[i % THEMES.length],
      is_expired: i % 17 === 5,
      is_abolished: i % 19 === 7,
      expired_time: i % 17 === 5 ? unix + 86400 * 30 : 0,
      attachment:
        i % 10 === 0 ? [{ name: `附件${i}.pdf`, url: `${prefix}/attachment/0/${id}.pdf` }] : [],
      click: 1000 + stats.total, // a view counter: changes on every request, not an edit
    };
    // 发布时间 as a local time string, or only as Unix seconds.
    if (i % 2 === 0) a.created_at = `${ymd} 09:30:00`;
    else a.display_publish_time = unix + 3600;
    // Absolute url on most, a relative post_url on some.
    if (i % 4 === 3) a.post_url = detailPath(id);
    else a.url = `${origin}${detailPath(id)}`;
    if (i % 5 === 0) a.EXT_sx = '有效';
    if (i % 6 === 1) a.json_ext = JSON.stringify({ EXT_type: '规范性文件' });
    if (flawed.has(id)) {
      delete a.publisher; // missing field: the content check needs an issuer
      a.title = `测试市缺少发布机构的通知${id}`;
    }
    return a;
  };
  const detail = (id: number): Article => {
    const a = article(id);
    const i = id - 1000;
    let content = `<p>第${i}项工作的正文。</p><p style="color:red">各单位要认真落实。</p>`;
    if (i % 11 === 0) content += '<script>alert(1)</script><p onclick="x()">点击</p>';
    if (flawed.has(id) && id % 2 === 1) content += '<p>联系电话：13812345678</p>';
    return { ...a, content, publisher: a.publisher, click: undefined };
  };

  const send = (
    res: ServerResponse,
    status: number,
    type: string,
    body: string | Uint8Array,
  ): void => {
    res.writeHead(status, { 'content-type': type });
    res.end(body);
  };
  const errorPage =
    '<!doctype html><html><head><title>系统维护</title></head><body><h1>系统维护中，请稍后访问</h1></body></html>';
  const html = (res: ServerResponse, body: string): void =>
    send(res, 200, 'text/html; charset=utf-8', body);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    stats.total++;
    userAgents.add(String(req.headers['user-agent']));
    if (faults.slowMs) await new Promise((r) => setTimeout(r, faults.slowMs));
    const u = new URL(req.url ?? '/', 'http://x');
    const path = u.pathname;
    if (!path.startsWith(`${prefix}/`)) return send(res, 404, 'text/plain', 'not found');
    const rest = path.slice(prefix.length);
    if (rest === '/gkmlpt/index') {
      stats.index++;
      if (faults.indexError) return html(res, errorPage);
      const shown = (id: string): boolean => !faults.treeWithout?.has(id);
      const tree = `[{ id: 700, name: '政府信息公开目录', children: [${LEAVES.slice(0, 2)
        .filter((l) => shown(l.id))
        .map((l) => `{ id: ${l.id}, name: '${l.name}', post_count: 0 }`)
        .join(', ')}] }, ${
        shown(LEAVES[2].id) ? `{ id: '${LEAVES[2].id}', name: "${LEAVES[2].name}" }, ` : ''
      }{ id: 799, name: '依申请公开', jump_url: 'http://elsewhere.invalid/ysq' }]`;
      return html(
        res,
        `<!doctype html><html><head><meta charset="utf-8"><title>政府信息公开</title>
<script src="/static/app.js"></script>
<script>
  var x = 1;
  window._CONFIG = { SID: '755001', SITE_NAME: '测试市人民政府', TREE: ${tree}, DEBUG: !1, init: function () { return x; } };
  window._CONFIG.LANG = "zh-CN";
</script></head><body><div id="app"></div></body></html>`,
      );
    }
    const list = /^\/gkmlpt\/api\/all\/(\d+)$/.exec(rest);
    if (list) {
      stats.list++;
      const cat = list[1];
      if (u.searchParams.get('sid') !== '755001')
        return send(res, 403, 'application/json', '{"error":"sid"}');
      if (faults.listErrorPage?.has(cat)) return html(res, errorPage);
      let all = live.filter((id) => catOf(id) === cat);
      const only = faults.listOnly?.get(cat);
      if (only !== undefined) all = all.slice(0, only);
      const page = Number(u.searchParams.get('page') ?? '1');
      let articles: Article[];
      if (opts.paging === 'single') {
        if (page >= 2) return send(res, 404, 'text/html', errorPage);
        articles = all.map(article);
      } else {
        articles = all
          .slice((Math.max(page, 1) - 1) * pageSize, Math.max(page, 1) * pageSize)
          .map(article);
      }
      const body = JSON.stringify({
        classify: { id: Number(cat), post_count: all.length },
        articles,
      });
      return send(
        res,
        200,
        'application/json; charset=utf-8',
        faults.listTruncated?.has(cat) ? body.slice(0, Math.floor(body.length / 2)) : body,
      );
    }
    const post = /^\/gkmlpt\/content\/\d+\/\d+\/post_(\d+)\.html$/.exec(rest);
    if (post) {
      stats.detail++;
      const id = Number(post[1]);
      if (!live.includes(id)) return send(res, 404, 'text/html', errorPage);
      if (faults.detailErrorPage?.has(id)) return html(res, errorPage);
      // The platform escapes < > & / in DETAIL so no "</script>" can end the script early.
      const json = JSON.stringify(detail(id)).replace(
        /[<>&/]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`,
      );
      const page = `<!doctype html><html><head><meta charset="utf-8"></head><body><div id="app"></div>
<script>window._CONFIG = window._CONFIG || {}; window._CONFIG.DETAIL = ${json};</script></body></html>`;
      return html(
        res,
        faults.detailTruncated?.has(id) ? page.slice(0, Math.floor(page.length * 0.6)) : page,
      );
    }
    const att = /^\/attachment\/0\/(\d+)\.pdf$/.exec(rest);
    if (att) {
      stats.attachment++;
      if (faults.attachmentErrorPage?.has(Number(att[1]))) return html(res, errorPage);
      return send(res, 200, 'application/pdf', PDF_BYTES);
    }
    return send(res, 404, 'text/html', errorPage);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    siteUrl: `${origin}${prefix}/`,
    faults,
    ids: live,
    stats,
    userAgents,
    edit: (id) => edits.set(id, (edits.get(id) ?? 0) + 1),
    withdraw: (id) => {
      const at = live.indexOf(id);
      if (at >= 0) live.splice(at, 1);
    },
    add,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
