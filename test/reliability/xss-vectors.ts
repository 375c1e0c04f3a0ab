// XSS vectors of the reliability suite (issue #11, cases `xss` and
// `xss-control`), in the style of the OWASP XSS filter evasion cheat sheet and
// the PortSwigger XSS cheat sheet: script tags, event handlers, javascript:
// and data: URLs, SVG/MathML, srcdoc, meta refresh, CSS, template and mXSS
// shapes, encoded forms. Each is rewritten to call a beacon if it ever runs:
// `{JS}` becomes `top.__beacon('<id>')`, `{URL}` a loopback beacon URL (for
// vectors that leak by loading rather than by running script), and `{B64}`
// the base64 of a page that calls the beacon (for data: URLs).
//
// A vector is marked inert only with evidence: the reason next to it was
// checked in headless Chromium 156 (the system /usr/bin/chromium), where the
// unsanitised control (fragment, parse–serialise–parse round trip, whole
// srcdoc document, and a top-level document for the checks below) never ran
// it. The xss-control case fails if a vector not marked inert does not fire.

/** One vector, with its beacon calls filled in. */
export interface XssVector {
  id: string;
  html: string;
  /**
   * Why this vector cannot run in Chromium even unsanitised (legacy IE/Firefox
   * syntax, a feature Chromium does not have, markup that only turns live after
   * a broken filter): the control does not expect it to fire. Empty for live
   * vectors, which the control must see run.
   */
  inert: string;
}

/** Where `{URL}` beacons point: a closed loopback port, seen by the test as a request. */
export const BEACON_ORIGIN = 'http://127.0.0.1:9';

// [id, template, inert-because]
const T: [string, string, string?][] = [
  // Script elements
  ['script-plain', '<script>{JS}</script>'],
  ['script-upper', '<SCRIPT>{JS}</SCRIPT>'],
  ['script-src-data', '<script src="data:text/javascript,{JS}"></script>'],
  [
    'script-nested',
    '<scr<script>ipt>{JS}</scr</script>ipt>',
    // Only live after a filter that strips <script> once (not a DOM sanitiser).
    "unfiltered, the inner script's text is ipt>…</scr, a SyntaxError (regex missing /)",
  ],
  ['script-in-attr-break', '"><script>{JS}</script>'],
  ['script-slash', '<script/x>{JS}</script>'],
  ['script-svg', '<svg><script>{JS}</script></svg>'],
  ['script-svg-href', '<svg><script href="data:text/javascript,{JS}"></script></svg>'],
  ['script-entity-svg', '<svg><script>&#116;op.__beacon&#40;"{ID}"&#41;</script></svg>'],
  ['script-comment-break', '<!--<script>--><script>{JS}</script>'],
  // Event handlers
  ['img-onerror', '<img src=x onerror="{JS}">'],
  ['img-onerror-noquote', '<img src=x onerror={JSQ}>'],
  [
    'img-onerror-slash',
    '<img/src=x/onerror="{JS}">',
    'the unquoted src value runs to the > and swallows /onerror=…: the img has no onerror attribute',
  ],
  ['img-slash-separators', '<img/src/onerror="{JS}">'],
  ['img-onerror-tab', '<img src=x\tonerror="{JS}">'],
  ['img-onerror-newline', '<img src=x\nonerror="{JS}">'],
  ['img-onerror-entities', '<img src=x onerror="&#116;&#111;&#112;.__beacon(\'{ID}\')">'],
  ['img-onerror-hex-entities', '<img src=x onerror="&#x74;&#x6f;&#x70;.__beacon(\'{ID}\')">'],
  ['img-onerror-upper', '<IMG SRC=x ONERROR="{JS}">'],
  ['image-onerror', '<image src=x onerror="{JS}">'],
  ['svg-onload', '<svg onload="{JS}"></svg>'],
  ['svg-slash-onload', '<svg/onload="{JS}">'],
  ['body-onload', '<body onload="{JS}">'],
  ['body-onpageshow', '<body onpageshow="{JS}">'],
  ['iframe-onload', '<iframe onload="{JS}"></iframe>'],
  ['input-autofocus', '<input autofocus onfocus="{JS}">'],
  ['textarea-autofocus', '<textarea autofocus onfocus="{JS}"></textarea>'],
  ['select-autofocus', '<select autofocus onfocus="{JS}"></select>'],
  ['details-ontoggle', '<details open ontoggle="{JS}"><summary>x</summary></details>'],
  ['video-onerror', '<video src=x onerror="{JS}"></video>'],
  ['audio-onerror', '<audio src=x onerror="{JS}"></audio>'],
  ['video-source-onerror', '<video><source onerror="{JS}"></video>'],
  ['object-onerror', '<object data=x onerror="{JS}"></object>'],
  [
    'marquee-onstart',
    '<marquee onstart="{JS}">x</marquee>',
    'Chromium has no onstart on <marquee> (no such handler on HTMLMarqueeElement; a dispatched start event runs nothing): Firefox only',
  ],
  ['div-onmouseover', '<div onmouseover="{JS}">悬停</div>'],
  ['p-onclick', '<p onclick="{JS}">点击</p>'],
  ['span-onfocus-tabindex', '<span tabindex=1 onfocus="{JS}" autofocus>x</span>'],
  ['a-onclick', '<a onclick="{JS}">链接</a>'],
  ['td-onmouseover', '<table><tr><td onmouseover="{JS}">格</td></tr></table>'],
  ['style-onload', '<style onload="{JS}"></style>'],
  ['link-onload', '<link rel=stylesheet href="data:text/css," onload="{JS}">'],
  [
    'animation-start',
    '<style>@keyframes k{}</style><b style="animation-name:k" onanimationstart="{JS}">x</b>',
  ],
  [
    'transition-end',
    '<b style="transition:color 1ms" ontransitionend="{JS}" onmouseover="this.style.color=\'red\'">x</b>',
  ],
  ['form-onsubmit', '<form onsubmit="{JS};return false"><button>提交</button></form>'],
  ['onerror-backtick', '<img src=x onerror=top.__beacon`{ID}`>'],
  [
    'onerror-fromcharcode',
    '<img src=x onerror="top[String.fromCharCode(95,95,98,101,97,99,111,110)](\'{ID}\')">',
  ],
  ['onerror-eval-atob', '<img src=x onerror="eval(atob(\'{JSB64}\'))">'],
  ['onerror-unicode-escape', '<img src=x onerror="\\u0074op.__beacon(\'{ID}\')">'],
  // javascript: URLs
  ['a-href-js', '<a href="javascript:{JS}">链接</a>'],
  ['a-href-js-upper', '<a href="JaVaScRiPt:{JS}">链接</a>'],
  ['a-href-js-tab', '<a href="jav\tascript:{JS}">链接</a>'],
  ['a-href-js-newline', '<a href="jav&#x0A;ascript:{JS}">链接</a>'],
  [
    'a-href-js-entity',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{JS}">链接</a>',
  ],
  ['a-href-js-hex-entity', '<a href="&#x6A;avascript:{JS}">链接</a>'],
  ['a-href-js-leading-space', '<a href=" javascript:{JS}">链接</a>'],
  ['a-href-js-control-char', '<a href="\u0001javascript:{JS}">链接</a>'],
  ['a-href-js-colon-entity', '<a href="javascript&colon;{JS}">链接</a>'],
  ['a-href-js-url-encoded', '<a href="javascript:top.__beacon(%27{ID}%27)">链接</a>'],
  [
    'area-href-js',
    '<map name=m><area shape=rect coords=0,0,50,50 href="javascript:{JS}"></map><img usemap=#m src=x>',
  ],
  ['iframe-src-js', '<iframe src="javascript:{JS}"></iframe>'],
  ['form-action-js', '<form action="javascript:{JS}"><button>提交</button></form>'],
  ['button-formaction-js', '<form><button formaction="javascript:{JS}">提交</button></form>'],
  [
    'input-formaction-js',
    '<form><input type=submit formaction="javascript:{JS}" value=提交></form>',
  ],
  [
    'embed-src-js',
    '<embed src="javascript:{JS}">',
    'Chromium 156 never runs a javascript: URL in <embed src> (fragment, srcdoc or top-level document; <iframe src=javascript:> runs in the same page)',
  ],
  [
    'object-data-js',
    '<object data="javascript:{JS}"></object>',
    'Chromium 156 never runs a javascript: URL in <object data> (fragment, srcdoc or top-level document; <iframe src=javascript:> runs in the same page)',
  ],
  ['svg-a-xlink', '<svg><a xlink:href="javascript:{JS}"><text x=20 y=20>点</text></a></svg>'],
  ['svg-a-href', '<svg><a href="javascript:{JS}"><text x=20 y=20>点</text></a></svg>'],
  ['math-href', '<math><mtext><a href="javascript:{JS}">点</a></mtext></math>'],
  [
    'math-maction',
    '<math href="javascript:{JS}"><mtext>点</mtext></math>',
    'MathML href is not a link in Chromium',
  ],
  [
    'base-href-js',
    '<base href="javascript:{JS}//"><a href="x">链接</a>',
    'a javascript: base URL does not make relative links run script',
  ],
  // data: URLs
  ['iframe-src-data', '<iframe src="data:text/html;base64,{B64}"></iframe>'],
  ['object-data-data', '<object data="data:text/html;base64,{B64}"></object>'],
  ['embed-src-data', '<embed src="data:text/html;base64,{B64}">'],
  // Chromium refuses these at the top level ("Not allowed to navigate top frame
  // to data URL") but lets them navigate a frame, where the data: page runs in
  // an opaque origin: its fetch beacon is seen (the control's srcdoc pass).
  ['a-href-data', '<a href="data:text/html;base64,{B64}">链接</a>'],
  [
    'img-src-data-svg',
    '<img src="data:image/svg+xml;base64,{B64SVG}">',
    'script in an SVG image never runs',
  ],
  // srcdoc and frames
  ['iframe-srcdoc', '<iframe srcdoc="<script>{JSE}</script>"></iframe>'],
  [
    'iframe-srcdoc-entity',
    '<iframe srcdoc="&lt;img src=x onerror=&quot;{JSE}&quot;&gt;"></iframe>',
  ],
  ['frameset-onload', '<frameset onload="{JS}">'],
  // meta refresh
  [
    'meta-refresh-js',
    '<meta http-equiv="refresh" content="0;url=javascript:{JS}">',
    'Chromium ignores javascript: in meta refresh',
  ],
  // Live for the same reason as a-href-data: a frame may refresh to a data: page.
  ['meta-refresh-data', '<meta http-equiv="refresh" content="0;url=data:text/html;base64,{B64}">'],
  ['meta-refresh-beacon', '<meta http-equiv="refresh" content="0;url={URL}">'],
  // CSS
  ['style-bg-url', '<div style="background:url({URL})">样式</div>'],
  ['style-bg-image', '<p style="background-image:url(\'{URL}\')">样式</p>'],
  ['style-tag-import', '<style>@import "{URL}";</style>'],
  ['style-tag-bg', '<style>body{background:url({URL})}</style>'],
  [
    'style-expression',
    '<div style="width:expression({JS})">样式</div>',
    'CSS expression() was IE only',
  ],
  ['style-behavior', '<div style="behavior:url({URL})">样式</div>', 'behavior: was IE only'],
  [
    'style-moz-binding',
    '<div style="-moz-binding:url({URL})">样式</div>',
    '-moz-binding was Firefox only',
  ],
  ['link-stylesheet', '<link rel=stylesheet href="{URL}">'],
  ['svg-style-url', '<svg><style>*{fill:url({URL})}</style><rect width=5 height=5></svg>'],
  // Remote loads (a kiosk must not fetch on a visitor's behalf)
  ['img-src-remote', '<img src="{URL}">'],
  ['img-srcset-remote', '<img srcset="{URL} 1x">'],
  ['video-poster-remote', '<video poster="{URL}"></video>'],
  ['input-image-remote', '<input type=image src="{URL}">'],
  ['svg-image-remote', '<svg><image href="{URL}" width=5 height=5></svg>'],
  ['svg-use-remote', '<svg><use href="{URL}#x"></use></svg>'],
  ['body-background', '<table background="{URL}"><tr><td>x</td></tr></table>'],
  // Template, mXSS, namespace confusion
  [
    'template-script',
    '<template><script>{JS}</script></template><div id=t></div>',
    'template content is inert unless cloned',
  ],
  ['noscript-mxss', '<noscript><p title="</noscript><img src=x onerror={JSQ}>">'],
  ['svg-style-mxss', '<svg></p><style><a id="</style><img src=1 onerror={JSQ}>">'],
  [
    'math-mglyph-mxss',
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;&lt;img&Tab;src=1&Tab;onerror={JSQ}&gt;">',
    // Checked: the same round trip with the old serialisation (< > left as is in attribute values) fires.
    'mXSS of DOMPurify < 2.0.17 that needs the serialiser to leave < and > raw in attribute values; Chromium ≥ 138 escapes them, so the round trip no longer closes the comment',
  ],
  [
    'form-math-mxss',
    '<form><math><mtext></form><form><mglyph><style></math><img src onerror={JSQ}>',
  ],
  ['svg-foreignobject', '<svg><foreignObject><img src=x onerror="{JS}"></foreignObject></svg>'],
  ['svg-desc-mxss', '<svg><desc><img src=x onerror="{JS}"></desc></svg>'],
  ['xmp-break', '<xmp><p title="</xmp><img src=x onerror={JSQ}>">'],
  ['textarea-break', '<textarea><p title="</textarea><img src=x onerror={JSQ}>">'],
  [
    'title-break',
    '<title><img src=x onerror={JSQ}></title>',
    '<title> content is RCDATA in every HTML parser: the img is text',
  ],
  ['title-attr-break', '<title><p title="</title><img src=x onerror={JSQ}>">'],
  ['iframe-text-break', '<iframe><p title="</iframe><img src=x onerror={JSQ}>">'],
  ['comment-break', '<!--><img src=x onerror={JSQ}>-->'],
  [
    'cdata-break',
    '<svg><![CDATA[><image href=x onerror={JSQ}>]]></svg>',
    'inside <svg> a CDATA section is text up to ]]>: the image is text',
  ],
  ['cdata-attr-break', '<svg><![CDATA[><image xlink:href="]]><img src=x onerror={JSQ}//"></svg>'],
  ['processing-instruction', '<?xml-stylesheet ><img src=x onerror={JSQ}>?>'],
  ['attr-quote-break', '<p title="x" onmouseover="{JS}" a="">x</p>'],
  ['dom-clobber-form', '<form name=__beacon><input name=x></form><img src=x onerror="{JS}">'],
  ['custom-element-is', '<p is="x-y" onclick="{JS}">x</p>'],
  [
    'svg-animate-href',
    '<svg><a><animate attributeName=href values="javascript:{JS}"/><text x=20 y=20>点</text></a></svg>',
  ],
  [
    'svg-set-href',
    '<svg><a><set attributeName=href to="javascript:{JS}"/><text x=20 y=20>点</text></a></svg>',
  ],
  ['svg-animate-onbegin', '<svg><animate onbegin="{JS}" attributeName=x dur=1ms>'],
  [
    'svg-discard-onbegin',
    '<svg><discard onbegin="{JS}">',
    'Chromium 156 has no SVG <discard> (a plain SVGElement: no onbegin handler, no timing)',
  ],
  // Encoded and Unicode forms
  ['fullwidth-lt', '＜script＞{JS}＜/script＞', 'full-width brackets are text in HTML'],
  ['utf7-script', '+ADw-script+AD4-{JS}+ADw-/script+AD4-', 'UTF-7 is not decoded by Chromium'],
  ['html-entity-script', '&lt;script&gt;{JS}&lt;/script&gt;', 'escaped markup is text'],
  ['double-escaped-img', '&amp;lt;img src=x onerror={JSQ}&amp;gt;', 'escaped markup is text'],
  [
    'zero-width-js-href',
    '<a href="java\u200bscript:{JS}">链接</a>',
    'a zero-width space breaks the scheme',
  ],
  ['null-byte-script', '<scr\u0000ipt>{JS}</scr\u0000ipt>', 'a NUL byte breaks the tag name'],
];

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64');
}

/** Every vector with its beacon calls filled in. */
export function xssVectors(): XssVector[] {
  return T.map(([id, template, inert]) => {
    const js = `top.__beacon('${id}')`;
    // In an unquoted attribute value: no spaces and no quotes.
    const jsq = `top.__beacon(/${id}/.source)`;
    // Inside an attribute value that is itself HTML (srcdoc): quotes as entities.
    const jse = `top.__beacon(&#39;${id}&#39;)`;
    const url = `${BEACON_ORIGIN}/__beacon/${id}`;
    const page = `<script>fetch('${url}');top.__beacon('${id}')</script>`;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" onload="top.__beacon('${id}')"/>`;
    const html = template
      .replaceAll('{JSQ}', jsq)
      .replaceAll('{JSE}', jse)
      .replaceAll('{JSB64}', b64(js))
      .replaceAll('{JS}', js)
      .replaceAll('{ID}', id)
      .replaceAll('{URL}', url)
      .replaceAll('{B64SVG}', b64(svg))
      .replaceAll('{B64}', b64(page));
    return { id, html, inert: inert ?? '' };
  });
}
