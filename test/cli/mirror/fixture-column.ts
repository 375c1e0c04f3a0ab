// A TRS-style CMS column on loopback for `gongkai mirror site`: list pages
// index.html, index_1.html, … (then 404) linking to article pages that carry
// the standard 政府网站 meta tags, a visible metadata table and a .TRS_Editor
// body. Generated, never copied from a real site.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Column {
  /** `http://127.0.0.1:<port>/zwgk/tzgg/index.html` */
  readonly url: string;
  readonly ids: number[];
  readonly stats: { list: number; article: number };
  /** The first list page is an error page with status 200. */
  faults: { listErrorPage?: boolean };
  withdraw(id: number): void;
  close(): Promise<void>;
}

const PER_PAGE = 10;

/** Starts a column with `items` articles, newest first. */
export async function startColumn(items: number): Promise<Column> {
  const ids = Array.from({ length: items }, (_, i) => 1 + i);
  const stats = { list: 0, article: 0 };
  const faults: Column['faults'] = {};
  const date = (id: number): string => `2026-05-${String(1 + (id % 28)).padStart(2, '0')}`;
  const path = (id: number): string => `./202605/t${date(id).replace(/-/g, '')}_${id}.html`;

  const listPage = (n: number): string | null => {
    const slice = ids.slice(n * PER_PAGE, (n + 1) * PER_PAGE);
    if (slice.length === 0) return null;
    const rows = slice
      .map(
        (id) =>
          `<li><a href="${path(id)}" target="_blank">关于第${id}批事项的通知</a><span>${date(id)}</span></li>`,
      )
      .join('\n');
    return `<!doctype html><html><head><meta charset="utf-8"><title>通知公告</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="../index.html">政务公开</a> <a href="/zwgk/tzgg/index.html">通知公告</a></div>
<ul class="list">${rows}</ul>
<div class="page"><a href="index.html">首页</a> <a href="index_${n + 1}.html">下一页</a></div></body></html>`;
  };
  const article = (id: number): string => `<!doctype html><html><head><meta charset="utf-8">
<meta name="SiteName" content="测试县人民政府"><meta name="ColumnName" content="通知公告">
<meta name="ArticleTitle" content="关于第${id}批事项的通知"><meta name="PubDate" content="${date(id)} 10:00">
<meta name="ContentSource" content="测试县人民政府办公室">
<title>关于第${id}批事项的通知</title></head><body>
<table class="meta"><tr><td>索 引 号：</td><td>000000000/2026-${String(id).padStart(5, '0')}</td><td>发文字号：</td><td>测府〔2026〕${id}号</td></tr></table>
<div class="TRS_Editor"><p>各乡镇人民政府，县直各单位：</p><p>现将第${id}批事项通知如下，请认真贯彻执行。</p><script>track()</script></div>
<div class="footer">网站标识码：4400000001</div></body></html>`;

  const send = (res: ServerResponse, status: number, body: string): void => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    const list = /^\/zwgk\/tzgg\/index(?:_(\d+))?\.html$/.exec(p);
    if (list) {
      stats.list++;
      const n = Number(list[1] ?? 0);
      if (faults.listErrorPage && n === 0)
        return send(res, 200, '<html><body><h1>系统维护中</h1></body></html>');
      const page = listPage(n);
      return page ? send(res, 200, page) : send(res, 404, 'not found');
    }
    const art = /^\/zwgk\/tzgg\/202605\/t\d{8}_(\d+)\.html$/.exec(p);
    if (art && ids.includes(Number(art[1]))) {
      stats.article++;
      return send(res, 200, article(Number(art[1])));
    }
    send(res, 404, 'not found');
  };
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/zwgk/tzgg/index.html`,
    ids,
    stats,
    faults,
    withdraw: (id) => {
      const at = ids.indexOf(id);
      if (at >= 0) ids.splice(at, 1);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
