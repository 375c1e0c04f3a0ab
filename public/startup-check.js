/*
 * Gongkai start-up check. A classic script in ES5 on purpose: it must run on
 * every engine a hall may have, including the ones too old for the app's
 * module code, and say in plain Chinese why the screen will not start instead
 * of leaving 正在加载… on it for ever.
 *
 * - Below Chromium 66, or without module scripts: the message at once.
 * - Any engine where the app has not started 5 s after the page was parsed (a
 *   script error, a missing API): the message with the engine version, the
 *   minimum and the first script error.
 * The app marks its start on <html data-gk-started>; the tiers are stated in
 * README.md ("Which browsers") and src/compat/engine.ts.
 */
(function () {
  'use strict';
  var DISPLAY_MIN = 66;
  var SUPPORTED_MIN = 83;
  var ua = navigator.userAgent || '';
  var m = /(?:HeadlessChrome|Chrome|Chromium|CriOS)\/(\d+)/.exec(ua);
  var major = m ? parseInt(m[1], 10) : null;
  var engine = major ? 'Chromium ' + major : '未知内核';
  var firstError = null;

  function started() {
    return document.documentElement.hasAttribute('data-gk-started');
  }

  function show(reason) {
    if (started() || document.getElementById('gk-startup-check')) return;
    var box = document.createElement('div');
    box.id = 'gk-startup-check';
    box.className = 'gk-startup-check';
    box.setAttribute('role', 'alert');
    var h = document.createElement('h1');
    h.textContent = '本终端无法启动';
    var p1 = document.createElement('p');
    p1.textContent = reason;
    var p2 = document.createElement('p');
    p2.textContent =
      '当前浏览器内核：' +
      engine +
      '。阅览室与公告屏轮播至少需要 Chromium ' +
      DISPLAY_MIN +
      '，触摸查询至少需要 Chromium ' +
      SUPPORTED_MIN +
      '。请升级系统浏览器或 WebView，或联系管理员。';
    var p3 = document.createElement('p');
    p3.className = 'gk-startup-check-ua';
    p3.textContent = ua;
    box.appendChild(h);
    box.appendChild(p1);
    box.appendChild(p2);
    box.appendChild(p3);
    var app = document.querySelector('gk-app');
    var first = app && app.querySelector('.gk-first-paint');
    if (first) first.parentNode.removeChild(first);
    (document.body || document.documentElement).appendChild(box);
  }

  function tooOld() {
    var script = document.createElement('script');
    return (major !== null && major < DISPLAY_MIN) || !('noModule' in script);
  }

  window.addEventListener('error', function (e) {
    if (!firstError) firstError = e && e.message ? String(e.message) : '脚本错误';
  });

  function check() {
    if (started()) return;
    var caught = document.documentElement.getAttribute('data-gk-start-error');
    if (caught && !firstError) firstError = caught;
    if (tooOld()) {
      show('此浏览器内核版本过低。');
    } else {
      show(firstError ? '程序加载出错（' + firstError + '）。' : '程序在 5 秒内未能启动。');
    }
  }

  // Module scripts run before DOMContentLoaded, so 5 s after it the app has had
  // its chance: a healthy kiosk marks its start within tens of milliseconds.
  function arm() {
    if (tooOld()) check();
    else setTimeout(check, 5000);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', arm);
  else arm();
})();
