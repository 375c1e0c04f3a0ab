// Test harness for the touch kiosk (served by the Vite dev server in
// test/e2e/kiosk.e2e.ts): <gk-kiosk> on the demo items with the real search
// from src/search, wired the way the shell would wire it. Query parameters:
// ?elder=1 for elder-mode defaults, ?idle=<seconds>.
import '../../src/components/gk-kiosk.ts';
import type { GkKiosk } from '../../src/components/gk-kiosk.ts';
import type { Item, Notice } from '../../src/content/types.ts';
import { itemTitle } from '../../src/content/types.ts';
import { buildIndex, toSearchDoc } from '../../src/search/index.ts';
import { buildCharPinyinTable, deriveSearchData, textPinyin } from '../../src/search/derive.ts';
import { guide as fixtureGuide, notice as fixtureNotice } from '../components/gk-kiosk.fixtures.ts';
import { KIOSK_DEFAULT_SETTINGS, wipeBrowserTraces } from '../../src/display/session.ts';

const modules = import.meta.glob<Item>('../../src/content/demo/*.json', {
  eager: true,
  import: 'default',
});
// The demo guides have no materials or procedure yet: add the component tests'
// richer notice and guide (test data) so the screenshots show every part.
const items = [...Object.values(modules), fixtureNotice, fixtureGuide].sort((a, b) =>
  a.id.localeCompare(b.id),
);

const index = buildIndex(
  items.map((i) => toSearchDoc(i, deriveSearchData(i))),
  { charPinyin: buildCharPinyinTable(items), builtOn: '2026-11-24' },
);

// The candidate bar's vocabulary: title words (Intl.Segmenter) keyed by full
// pinyin and by initials, as a bundle could ship them.
const words = new Map<string, { full: string; initials: string }>();
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const addWord = (w: string) => {
  if (words.has(w)) return;
  const syl = textPinyin(w);
  words.set(w, { full: syl.join(''), initials: syl.map((s) => s[0] ?? '').join('') });
};
for (const item of items) {
  const segs = [...segmenter.segment(itemTitle(item))]
    .filter((s) => s.isWordLike && /^\p{Script=Han}+$/u.test(s.segment))
    .map((s) => s.segment);
  // Words and pairs of adjacent words (政务 + 公开 → 政务公开), as an IME offers phrases.
  segs.forEach((w, i) => {
    if (w.length >= 2) addWord(w);
    if (i + 1 < segs.length) addWord(w + segs[i + 1]);
  });
}
function candidates(prefix: string): string[] {
  const out: string[] = [];
  for (const [w, p] of words)
    if (p.full.startsWith(prefix) || p.initials.startsWith(prefix)) out.push(w);
  return out.sort((a, b) => a.length - b.length);
}

const params = new URLSearchParams(location.search);
const kiosk = document.getElementById('kiosk') as GkKiosk;
kiosk.items = items;
kiosk.search = (q) => index.search(q, { limit: 20 });
kiosk.candidates = candidates;
kiosk.isNoticeActive = (n: Notice) => !!n.noticePeriod;
kiosk.defaults = { ...KIOSK_DEFAULT_SETTINGS, elder: params.get('elder') === '1' };
kiosk.idleSeconds = Number(params.get('idle') ?? 90);
kiosk.loadConverter = async () => {
  const { Converter } = await import('opencc-js/cn2t');
  return Converter({ from: 'cn', to: 'hk' });
};
// A shell may keep the visitor's last query for a reload; the reset must wipe it.
kiosk.addEventListener('gk-query-change', (e) => sessionStorage.setItem('gk-last-query', e.query));
kiosk.addEventListener('gk-session-reset', () =>
  wipeBrowserTraces({ sessionStorage, history, startUrl: location.pathname + location.search }),
);
document.documentElement.dataset.ready = 'true';
