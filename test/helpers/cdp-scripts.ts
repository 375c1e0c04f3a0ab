// Scripts the CDP driver (cdp.ts) runs inside pages: plain ES2017 strings, so
// they run unchanged on Chromium 66 (no transpiling, no helper injection).

/**
 * A controllable clock for the page, installed before any page script (the
 * same idea as Playwright's clock.install): time flows normally, and
 * `__gkClock.fastForward(ms)` jumps Date, performance.now and every timer
 * ahead, firing each due timer once. Plain ES2017, so it runs on Chromium 66.
 */
export const CLOCK_SCRIPT = `(function () {
  if (window.__gkClock) return;
  var RealDate = Date, realNow = Date.now.bind(Date), realPerf = performance.now.bind(performance);
  var rSet = window.setTimeout.bind(window), rClear = window.clearTimeout.bind(window);
  var offset = 0, seq = 0, timers = new Map();
  function now() { return realNow() + offset; }
  function arm(id) {
    var t = timers.get(id);
    if (!t) return;
    if (t.real) rClear(t.real);
    t.real = rSet(function () { fire(id); }, Math.max(0, t.at - now()));
  }
  function fire(id) {
    var t = timers.get(id);
    if (!t) return;
    if (t.at > now()) return arm(id);
    if (t.every) { t.at = t.at + t.every > now() ? t.at + t.every : now() + t.every; arm(id); } else timers.delete(id);
    if (typeof t.fn === 'function') t.fn.apply(window, t.args); else (0, eval)(String(t.fn));
  }
  function add(fn, ms, args, every) {
    var id = ++seq, d = Math.max(0, Number(ms) || 0);
    timers.set(id, { fn: fn, args: args, at: now() + d, every: every ? Math.max(d, 1) : 0, real: 0 });
    arm(id);
    return id;
  }
  function clear(id) { var t = timers.get(id); if (t) { rClear(t.real); timers.delete(id); } }
  window.setTimeout = function (fn, ms) { return add(fn, ms, [].slice.call(arguments, 2), false); };
  window.setInterval = function (fn, ms) { return add(fn, ms, [].slice.call(arguments, 2), true); };
  window.clearTimeout = clear;
  window.clearInterval = clear;
  function FakeDate() {
    if (!new.target) return new RealDate(now()).toString();
    var args = [].slice.call(arguments);
    return Reflect.construct(RealDate, args.length ? args : [now()], new.target);
  }
  FakeDate.prototype = RealDate.prototype;
  FakeDate.now = now;
  FakeDate.UTC = RealDate.UTC;
  FakeDate.parse = RealDate.parse;
  window.Date = FakeDate;
  performance.now = function () { return realPerf() + offset; };
  window.__gkClock = {
    fastForward: function (ms) { offset += ms; timers.forEach(function (_, id) { arm(id); }); },
    pending: function () { return timers.size; }
  };
})();`;

/**
 * Page-side helpers defined before each evaluation: `gkDeep('a >> b')` finds
 * the `b` elements inside (or in the shadow roots of) the `a` elements, through
 * every open shadow root on the way; `gkText(root)` is the visible text.
 */
export const PAGE_HELPERS = `var gkDeep = function (chain) {
  var roots = [document];
  chain.split(' >> ').forEach(function (css) {
    var out = [];
    var visit = function (root) {
      var all = root.querySelectorAll('*');
      for (var i = 0; i < all.length; i++) {
        if (all[i].matches(css) && out.indexOf(all[i]) < 0) out.push(all[i]);
        if (all[i].shadowRoot) visit(all[i].shadowRoot);
      }
    };
    roots.forEach(function (r) {
      if (r.shadowRoot) visit(r.shadowRoot);
      visit(r);
    });
    roots = out;
  });
  return roots;
};
var gkText = function (root) {
  var parts = [];
  var visit = function (node) {
    for (var c = node.firstChild; c; c = c.nextSibling) {
      if (c.nodeType === 3) { var t = c.textContent.trim(); if (t) parts.push(t); }
      else if (c.nodeType === 1 && ['STYLE', 'SCRIPT', 'TEMPLATE'].indexOf(c.tagName) < 0) {
        if (c.shadowRoot) visit(c.shadowRoot);
        visit(c);
      }
    }
  };
  visit(root || document.body);
  return parts.join(' ');
};
`;
