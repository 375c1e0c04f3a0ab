/**
 * Saved portal pages (.html): the standard `<meta>` tags, the visible
 * metadata table (索引号, 主题分类, 发布机构, 成文日期, 发文字号, 发布日期,
 * 有效性 in any label spacing and table layout) and the article body, found
 * among navigation, share buttons, 扫一扫 text and footers. Everything else is
 * dropped; scripts and injected markup inside the article are removed and
 * reported by element.
 */
import { JSDOM } from 'jsdom';
import { matchMetaLabel } from './columns.ts';
import { applyMeta, finishNotice, pushTo } from './meta.ts';
import { fillFromProse } from './markdown.ts';
import { type Para } from './prose.ts';
import { collapseCjkSpaces, idFromFileName, normalizeLabel } from './repair.ts';
import { describeElement, sanitizeHtml, stripDangerous } from './sanitize.ts';
import { ProblemLog, type ImportResult, type RawItem } from './types.ts';

/** Containers portals put the article in, most specific first (gov.cn, TRS, 开普云 …). */
export const BODY_SELECTORS = [
  '#UCAP-CONTENT',
  '.TRS_Editor',
  '.TRS_UEDITOR',
  '#zoom',
  '#Zoom',
  '.article-content',
  '.article_content',
  '.pages_content',
  '#content',
  '.content',
  'article',
] as const;

/** Text of page furniture that is not part of any article. */
const NOISE =
  /^(?:【?字体[:：]|打印本页|关闭窗口|扫一扫|分享到|文章关键词|相关附件|相关新闻|上一篇|下一篇|附件[:：]?$|媒体报道$|音频视频$|部门解读$|图解类$|新闻发布会$|访谈$|其他$|文件$)/;

/** The standard portal `<meta>` names this importer reads. */
type MetaName =
  | 'SiteName'
  | 'SiteIDCode'
  | 'ColumnName'
  | 'ArticleTitle'
  | 'PubDate'
  | 'ContentSource'
  | 'Keywords'
  | 'Description'
  | 'Url';

function metaTags(doc: Document): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of doc.querySelectorAll('meta[name]')) {
    const name = (m.getAttribute('name') ?? '').trim().toLowerCase();
    const content = (m.getAttribute('content') ?? '').trim();
    if (name && content && !out.has(name)) out.set(name, content);
  }
  return out;
}

function text(el: Element | null | undefined): string {
  return collapseCjkSpaces(el?.textContent ?? '');
}

/**
 * Reads `label：value` pairs from the page's metadata table in its usual
 * layouts: `<td>索 引 号：</td><td>value</td>`, `<li><b>索引号：</b><span>value</span></li>`,
 * `<td><b>发文字号：</b></td><td>…`, or `<p>发布日期：2017-06-08</p>`.
 */
export function readMetaTable(root: Element): { field: string; value: string; element: string }[] {
  const out: { field: string; value: string; element: string }[] = [];
  const seen = new Set<string>();
  for (const el of root.querySelectorAll('*')) {
    const own = el.textContent ?? '';
    if (own.length > 120) continue;
    const collapsed = own.replace(/[\s\u00A0\u3000]+/g, '');
    const m = /^([^:：]{2,8})[:：](.*)$/.exec(collapsed);
    if (!m) continue;
    const field = matchMetaLabel(m[1]);
    if (!field || seen.has(field)) continue;
    // Prefer the deepest element holding the label.
    if (
      [...el.children].some(
        (c) =>
          /^[^:：]{2,8}[:：]/.test((c.textContent ?? '').replace(/[\s\u00A0\u3000]+/g, '')) &&
          matchMetaLabel(normalizeLabel((c.textContent ?? '').split(/[:：]/)[0])) === field,
      )
    )
      continue;
    let value = '';
    const inline = /^[^:：]*[:：](.*)$/s.exec(own);
    // `发布日期：2017-06-08  来源：…` holds several pairs: keep the first value only.
    if (inline && inline[1].trim())
      value = inline[1].trim().split(/\s+(?=[\p{Script=Han}\s]{2,10}[:：])/u)[0];
    else {
      let cur: Element | null = el;
      while (cur && !value) {
        const sib = cur.nextElementSibling;
        if (sib) {
          value = sib.textContent ?? '';
          break;
        }
        cur = cur.parentElement;
        if (cur && /^(tr|table|ul|body)$/i.test(cur.tagName)) break;
      }
    }
    if (!value.trim()) continue;
    seen.add(field);
    out.push({ field, value: value.trim(), element: describeElement(el) });
  }
  return out;
}

function findBody(doc: Document): Element | null {
  for (const sel of BODY_SELECTORS) {
    const el = doc.querySelector(sel);
    if (el && text(el).length > 20) return el;
  }
  // No known container: the block with the most paragraph text.
  let best: Element | null = null;
  let bestLen = 0;
  for (const el of doc.querySelectorAll('div, td, section')) {
    const len = [...el.children]
      .filter((c) => c.tagName === 'P')
      .reduce((n, p) => n + text(p).length, 0);
    if (len > bestLen) {
      best = el;
      bestLen = len;
    }
  }
  return bestLen > 20 ? best : null;
}

function dropNoise(body: Element, log: ProblemLog): void {
  for (const el of [...body.querySelectorAll('*')]) {
    if (!el.isConnected) continue;
    const t = text(el);
    if (t.length <= 40 && NOISE.test(t)) {
      el.remove();
      continue;
    }
    const cls = `${el.getAttribute('class') ?? ''} ${el.id}`.toLowerCase();
    if (/\b(share|bdsharebuttonbox|fontsize|print|qrcode|ewm|nav|footer|crumb)\b/.test(cls))
      el.remove();
  }
  void log;
}

/** Imports one saved portal page into a notice. */
export function importHtml(fileName: string, html: string): ImportResult {
  const log = new ProblemLog(fileName, idFromFileName(fileName));
  const doc = new JSDOM(html).window.document;
  const meta = metaTags(doc);
  const item: RawItem = {};
  const gk = (k: string): string | undefined => meta.get(`gongkai:${k.toLowerCase()}`);
  applyMeta(item, 'id', gk('id') ?? '', log);
  // Fields a portal page never carries can be added as <meta name="gongkai:…">.
  for (const k of [
    'infoCategory',
    'docType',
    'disclosure',
    'topic',
    'privacy',
    'demo',
    'inferred',
  ] as const) {
    const v = gk(k);
    if (v) applyMeta(item, k, v, log, { element: `meta[name="gongkai:${k}"]` });
  }
  const get = (k: MetaName): string | undefined => meta.get(k.toLowerCase());

  const table = readMetaTable(doc.body);
  for (const { field, value, element } of table) applyMeta(item, field, value, log, { element });

  const titleMeta = get('ArticleTitle');
  if (!item.title) {
    const h1 = doc.querySelector('h1');
    const t = titleMeta ?? (h1 ? text(h1) : '') ?? '';
    if (t) applyMeta(item, 'title', t, log);
    else if (doc.title.trim()) applyMeta(item, 'title', doc.title.split(/[-_|]/)[0], log);
    else
      log.error('no title: no ArticleTitle meta, 标题 row, <h1> or <title>', {
        field: 'title',
        element: 'head > meta[name="ArticleTitle"]',
      });
  }
  if (!item.publishDate) {
    const pub = get('PubDate') ?? /(\d{4}-\d{2}-\d{2})\s+\d{2}:\d{2}/.exec(text(doc.body))?.[1];
    if (pub)
      applyMeta(item, 'publishDate', pub.slice(0, 10), log, { element: 'meta[name="PubDate"]' });
  }
  if (!item.issuer && get('ContentSource')) {
    applyMeta(item, 'issuer', get('ContentSource') ?? '', log, {
      element: 'meta[name="ContentSource"]',
    });
  }
  if (!item.keywords && get('Keywords')) applyMeta(item, 'keywords', get('Keywords') ?? '', log);
  if (!item.summary && get('Description'))
    applyMeta(item, 'summary', get('Description') ?? '', log);
  const footerCode = /网站标识码\s*[:：]?\s*([0-9A-Za-z]{10})/.exec(
    doc.body.textContent ?? '',
  )?.[1];
  item.source = {
    site: get('SiteName') ?? null,
    siteIdCode: get('SiteIDCode') ?? footerCode ?? null,
    column: get('ColumnName') ?? null,
    url: get('Url') ?? null,
  };
  if (get('PubDate')) (item.source as Record<string, unknown>).pageTimestamp = get('PubDate');

  const bodyEl = findBody(doc);
  if (!bodyEl) {
    log.error(
      `no article body found: none of ${BODY_SELECTORS.join(', ')} and no block of paragraphs`,
      { field: 'body', element: 'body' },
    );
    finishNotice(item, idFromFileName(fileName));
    return { items: [item], problems: log.problems };
  }
  const bodyName = describeElement(bodyEl);
  // The metadata table sometimes sits inside the body container: drop it there.
  for (const t of [...bodyEl.querySelectorAll('table')]) {
    if (readMetaTable(t).length >= 2) t.remove();
  }
  for (const r of stripDangerous(bodyEl)) {
    log.warn(`${r.reason} from the article body`, {
      element: `${bodyName} > ${r.element}`,
      field: 'body',
    });
  }
  if (!item.docNoAsInSource) {
    for (const el of bodyEl.querySelectorAll('p, div')) {
      if (el.children.length > 0) continue;
      const t = text(el);
      if (/^[\p{Script=Han}]{1,12}[〔[【(（]\s*\d{4}/u.test(t) && t.length <= 30) {
        applyMeta(item, 'docNo', t, log, {
          element: `${bodyName} > ${describeElement(el, bodyEl)}`,
        });
        pushTo(item, 'inferred', 'docNo from the 文号 line of the article');
        break;
      }
    }
  }
  dropNoise(bodyEl, log);
  const paras: Para[] = [...bodyEl.querySelectorAll('p, h1, h2, h3, h4, li, div')]
    .filter((el) => el.querySelector('p, div, li') === null)
    .map((el, i) => ({ text: (el.textContent ?? '').trim(), line: i + 1 }))
    .filter((p) => p.text !== '');
  const clean = sanitizeHtml(bodyEl.innerHTML);
  item.body = clean.html;
  fillFromProse(item, paras, log);
  if (!item.disclosure) {
    item.disclosure = { mode: '主动公开' };
    pushTo(item, 'inferred', 'disclosure.mode 主动公开 (published on the portal)');
  }
  finishNotice(item, idFromFileName(fileName));
  return { items: [item], problems: log.problems };
}
