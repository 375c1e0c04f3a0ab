/**
 * Site chrome in raw `.txt` scrapes of portal pages (seeds 000–003): the
 * lines a browser's "save as text" keeps around the article — image alt
 * texts (`头部`, `ico`), font-size and print buttons, breadcrumbs
 * (`当前位置:…`, `文档之家› …`), content-farm disclaimers (`导语:…不代表本站观点`),
 * the portal's date-and-source line, view counters and the footer. Pure:
 * returns the article's lines and what the chrome said (column, date, source).
 */
import type { Para } from './prose.ts';

/** What chrome lines told about the page. */
export interface ChromeFacts {
  /** Breadcrumb path without 首页, e.g. `信息传达 > 文件通知`. */
  column?: string;
  /** The column's name (the breadcrumb's last part), which pages repeat as a heading. */
  columnName?: string;
  /** `2007-06-15` from the portal's date line. */
  publishDate?: string;
  /** The portal's name from its date line, e.g. 中国东莞政府门户网站. */
  site?: string;
  /** `来源:` of the date line, e.g. 东莞市人民政府办公室. */
  origin?: string;
  /** Each removed line, for the import report. */
  removed: string[];
}

/** Whole lines that are buttons, image alt texts or labels, never content. */
const UI_LINE =
  /^(?:头部|尾部|ico|logo|banner|打印|关闭|返回|分享|收藏|分享到[:：]?.*|【?(?:打印本页|关闭窗口|打印|关闭|返回顶部|收藏)】?(?:\s*【[^】]*】)*|【?字[体號号][:：].*|字[体號号][:：]?\s*[大中小\s]*|(?:上一篇|下一篇)[:：].*|相关(?:文档|链接|阅读|文章)[:：]?)$/i;
/** Footer lines: copyright, sponsor, ICP registration. */
const FOOTER = /(?:版权所有|Copyright|©|主办单位|承办单位|ICP备|网站标识码|公网安备)/i;
/** Breadcrumbs: `当前位置:首页 > …` or `<site>› <page>`. */
const CRUMB =
  /^(?:(?:当前位置|您的位置|您现在的位置|所在位置)[:：]?\s*(.*)|([^。，,:：]{1,20})\s*[›»]\s*(.+))$/;
/** Content-farm headers: the upload time and the disclaimer. */
const FARM =
  /^(?:时间[:：]\s*\d{4}-\d{2}-\d{2}(?:\s+\d{2}:\d{2}(?::\d{2})?)?|导语[:：].*(?:不代表本站观点|仅供参考|来源于网友).*)$/;
/** `<portal>  2007-06-15 05:54:35  来源: <office>`. */
const DATE_LINE =
  /^(\S{2,30}?)?\s*(\d{4})-(\d{2})-(\d{2})(?:\s+\d{2}:\d{2}(?::\d{2})?)?\s*(?:来源[:：]\s*(\S.*?))?\s*(?:(?:浏览|点击|阅读)(?:次数|量)?[:：]?\s*\d*)?$/;

/** Looks at most this many lines at the start for chrome (the article follows). */
const HEAD_LINES = 12;

/**
 * Separates chrome from the article. Only the first lines and the last
 * lines are looked at, so a sentence in the body that happens to look like a
 * label is never removed.
 */
export function stripChrome(paras: readonly Para[]): { paras: Para[]; facts: ChromeFacts } {
  const facts: ChromeFacts = { removed: [] };
  const keep: Para[] = [];
  let head = true;
  for (const [i, p] of paras.entries()) {
    const t = p.text.trim();
    if (head && i < HEAD_LINES) {
      if (UI_LINE.test(t) || FARM.test(t)) {
        facts.removed.push(t);
        continue;
      }
      const crumb = CRUMB.exec(t);
      if (crumb && t.length <= 80) {
        // `当前位置: 首页 > column > …` names the column; `site› page` only repeats the title.
        if (crumb[1] !== undefined) {
          const parts = crumb[1].split(/\s*[>＞»›]\s*/).filter(Boolean);
          if (parts[0] === '首页' || parts[0] === '首頁') parts.shift();
          if (parts.length > 0) {
            facts.column ??= parts.join(' > ');
            facts.columnName ??= parts[parts.length - 1];
          }
        }
        facts.removed.push(t);
        continue;
      }
      const date = DATE_LINE.exec(t);
      if (date && (date[1] || date[5]) && keep.length <= 2) {
        facts.publishDate ??= `${date[2]}-${date[3]}-${date[4]}`;
        if (date[1]) facts.site ??= date[1];
        if (date[5]) facts.origin ??= date[5];
        facts.removed.push(t);
        continue;
      }
    }
    if (keep.length >= 2) head = false;
    keep.push(p);
  }
  // The footer: trailing chrome lines.
  while (keep.length > 1) {
    const t = keep[keep.length - 1].text.trim();
    if (!(UI_LINE.test(t) || FOOTER.test(t))) break;
    facts.removed.push(t);
    keep.pop();
  }
  return { paras: keep, facts };
}
