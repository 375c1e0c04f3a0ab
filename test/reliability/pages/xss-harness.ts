// The XSS beacon harness page (test/e2e/xss.e2e.ts): renders items from a
// signed bundle in every view a visitor can open (notice reader, guide view,
// reading-room slide, search results with highlights), then pokes every
// element (click, hover, focus) so a surviving handler or javascript: URL
// would run and call the beacon. `control()` renders raw vector HTML with no
// sanitiser (as a fragment, after a serialise round trip, as a whole
// document), to prove the harness sees an execution when there is one.
import '../../../src/components/gk-notice-view.ts';
import '../../../src/components/gk-guide-view.ts';
import '../../../src/components/gk-slide.ts';
import '../../../src/components/gk-search-view.ts';
import type { Item } from '../../../src/content/types.ts';
import { buildIndex, toSearchDoc } from '../../../src/search/index.ts';
import { buildCharPinyinTable, deriveSearchData } from '../../../src/search/derive.ts';

declare global {
  interface Window {
    __beacon: (id: string) => void;
    __fired: string[];
    xss: typeof api;
  }
}

window.__fired = [];
window.__beacon = (id: string) => {
  window.__fired.push(String(id));
};

// Nothing may leave the page: links to real sites and ordinary form posts are
// stopped, but javascript: URLs are let through so that one would run.
const runsScript = (url: string | null | undefined) => /^\s*javascript:/i.test(url ?? '');
window.addEventListener(
  'click',
  (e) => {
    const target = e.composedPath()[0];
    const a = target instanceof Element ? target.closest('a, area') : null;
    if (a && !runsScript(a.getAttribute('href'))) e.preventDefault();
  },
  true,
);
window.addEventListener(
  'submit',
  (e) => {
    const form = e.target as HTMLFormElement;
    const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
    const action = submitter?.getAttribute('formaction') ?? form.getAttribute('action');
    if (!runsScript(action)) e.preventDefault();
  },
  true,
);

const views = document.getElementById('views') as HTMLElement;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every element under `root`, through open shadow roots. */
function allElements(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) out.push(...allElements(el.shadowRoot));
  }
  return out;
}

const POKE_EVENTS = [
  'mouseover', 'mouseenter', 'pointerover', 'focus', 'focusin', 'load', 'error', 'toggle',
  'animationstart', 'transitionend', 'begin', 'start', 'pageshow', 'submit',
]; // prettier-ignore

/** Clicks, hovers and focuses every element, as a curious visitor would. */
async function poke(root: ParentNode): Promise<void> {
  for (const el of allElements(root)) {
    // Hover and focus as a visitor would, and the load/error/animation events a
    // handler may wait for: any on* attribute that survived sanitising then runs.
    for (const type of POKE_EVENTS) el.dispatchEvent(new Event(type));
    // Duck-typed, not instanceof: elements of a srcdoc frame come from another realm.
    const poked = el as Element & { focus?: () => void; click?: () => void };
    if (typeof poked.focus === 'function') {
      try {
        poked.focus();
        if (typeof poked.click === 'function') poked.click();
        else el.dispatchEvent(new MouseEvent('click', { bubbles: true }));
      } catch {
        // A vector may throw on purpose; the beacon count is what matters.
      }
    }
  }
  await settle(400);
}

async function updated(el: Element): Promise<void> {
  await (el as Element & { updateComplete?: Promise<unknown> }).updateComplete;
  for (const child of allElements(el)) {
    await (child as Element & { updateComplete?: Promise<unknown> }).updateComplete;
  }
}

const api = {
  /** Renders items in the notice/guide view and as a slide, pokes them; returns beacons fired. */
  async render(items: Item[]): Promise<string[]> {
    window.__fired = [];
    views.replaceChildren();
    for (const item of items) {
      const view = document.createElement(
        item.kind === 'notice' ? 'gk-notice-view' : 'gk-guide-view',
      );
      (view as HTMLElement & { item: Item }).item = item;
      const slide = document.createElement('gk-slide') as HTMLElement & { item: Item };
      slide.item = item;
      views.append(view, slide);
    }
    for (const el of views.children) await updated(el);
    await settle(200);
    await poke(views);
    const fired = [...window.__fired];
    views.replaceChildren();
    return fired;
  },

  /** The search view with the real index: results for `query`, with highlights. Returns hits and beacons. */
  async search(
    items: Item[],
    query: string,
  ): Promise<{ hits: number; marks: number; fired: string[] }> {
    window.__fired = [];
    views.replaceChildren();
    const index = buildIndex(
      items.map((i) => toSearchDoc(i, deriveSearchData(i))),
      { charPinyin: buildCharPinyinTable(items), builtOn: '2026-11-24' },
    );
    const view = document.createElement('gk-search-view') as HTMLElement & {
      items: Item[];
      search: (q: string) => unknown[];
      query: string;
    };
    let hits = 0;
    view.items = items;
    view.search = (q) => {
      const r = index.search(q, { limit: 200 });
      hits = r.length;
      return r;
    };
    view.query = query;
    views.append(view);
    await updated(view);
    await settle(300);
    const marks = allElements(views).filter((e) => e.localName === 'mark').length;
    await poke(views);
    const fired = [...window.__fired];
    views.replaceChildren();
    return { hits, marks, fired };
  },

  /**
   * The control: each vector's raw HTML with no sanitiser, in three passes;
   * a vector seen in one pass is not run again. Returns beacons fired.
   *
   * 1. Parsed into the page as a fragment (createContextualFragment runs
   *    scripts, unlike innerHTML), then poked.
   * 2. The round trip a sanitiser that returns a string makes (DOMPurify:
   *    parse into an inert DOMParser document, serialise, and the page parses
   *    the string again), with nothing removed: mXSS shapes only run there.
   * 3. As a whole document in an unsandboxed same-origin srcdoc frame (body
   *    and frameset onload, an svg script in document context, a javascript:
   *    URL that navigates a frame), whose handlers reach the beacon through
   *    `top`; poked once it has loaded.
   */
  async control(vectors: { id: string; html: string }[]): Promise<string[]> {
    window.__fired = [];
    const fragmentPass = async (htmlOf: (html: string) => string) => {
      const left = vectors.filter((v) => !window.__fired.includes(v.id));
      if (left.length === 0) return;
      views.replaceChildren();
      for (const v of left) {
        const box = document.createElement('section');
        box.dataset.vector = v.id;
        views.append(box);
        try {
          box.append(document.createRange().createContextualFragment(htmlOf(v.html)));
        } catch {
          // A vector the parser refuses is simply not executed.
        }
      }
      await settle(300);
      await poke(views);
      await settle(300);
      views.replaceChildren();
    };
    await fragmentPass((html) => html);
    await fragmentPass((html) => new DOMParser().parseFromString(html, 'text/html').body.innerHTML);
    for (const v of vectors) {
      if (window.__fired.includes(v.id)) continue;
      const frame = document.createElement('iframe');
      frame.srcdoc = v.html;
      views.append(frame);
      await new Promise((r) => {
        frame.addEventListener('load', r, { once: true });
        setTimeout(r, 1000);
      });
      await settle(200);
      const doc = frame.contentDocument;
      if (doc) await poke(doc);
      await settle(300);
    }
    const fired = [...window.__fired];
    views.replaceChildren();
    return fired;
  },
};

window.xss = api;
document.documentElement.dataset.ready = 'true';
