// window._CONFIG and window._CONFIG.DETAIL read from a page's inline scripts
// through the syntax tree (acorn), never with regexes over the HTML.
import { describe, expect, it } from 'vitest';
import { inlineScripts, readPageConfig } from '../../../src/cli/mirror/page-config.ts';

describe('readPageConfig', () => {
  it('reads the discovery literal (single quotes, unquoted keys, !0/!1) and skips code', () => {
    const html = `<script src="/a.js"></script><script>
      var other = { SID: 'not this one' };
      window._CONFIG = { SID: '755001', TREE: [{ id: 1, name: '规划', children: [] }], ON: !0, OFF: !1, N: -3,
        init: function () { return 1; }, T: \`x\` };
      window._CONFIG.LANG = "zh";
    </script>`;
    expect(readPageConfig(html)).toEqual({
      SID: '755001',
      TREE: [{ id: 1, name: '规划', children: [] }],
      ON: true,
      OFF: false,
      N: -3,
      T: 'x',
      LANG: 'zh',
    });
  });

  it('parses DETAIL as JSON, with \\u003C escapes, even when the content holds "</script>" text', () => {
    const detail = { id: 7, title: '标题', content: '<p>正文</p><script>alert(1)</script>' };
    const json = JSON.stringify(detail).replace(
      /[<>/]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
    const html = `<body><script>window._CONFIG = window._CONFIG || {}; window._CONFIG.DETAIL = ${json};</script></body>`;
    expect(readPageConfig(html)?.DETAIL).toEqual(detail);
  });

  it('refuses a DETAIL that is not JSON, and a page cut in the middle', () => {
    expect(() =>
      readPageConfig(`<script>window._CONFIG.DETAIL = { id: 1, f: x() };</script>`),
    ).toThrow(/not valid JSON/);
    expect(() =>
      readPageConfig(`<script>window._CONFIG.DETAIL = {"id": 1, "content": "<p>`),
    ).toThrow();
  });

  it('returns null for an error page without _CONFIG', () => {
    expect(
      readPageConfig('<html><body><h1>系统维护中</h1><script>var a = 1;</script></body></html>'),
    ).toBeNull();
  });

  it('finds inline scripts in any case, ending at the first </script', () => {
    expect(
      inlineScripts('<SCRIPT type="text/javascript">a()</SCRIPT><p>x</p><script>b()</script >'),
    ).toEqual(['a()', 'b()']);
  });
});
