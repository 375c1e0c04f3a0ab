import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import {
  INFO_CATEGORY_SHORT,
  itemTitle,
  type InfoCategory,
  type Item,
  type Notice,
} from '../content/types.ts';
import { ItemSelectEvent } from './gk-notice-list.ts';
import { sharedStyles } from './theme.ts';
import { t, type UiLang } from './i18n.ts';

/** A home tile that opens the search screen with a filter (or none). */
export class BrowseEvent extends Event {
  static readonly eventName = 'gk-browse';
  constructor(readonly filter: { category?: string; issuer?: string; query?: string } = {}) {
    super(BrowseEvent.eventName, { bubbles: true, composed: true });
  }
}

/** Categories present in the items, in Art. 20 order, with counts. */
export function presentCategories(
  items: readonly Item[],
): { category: InfoCategory; count: number }[] {
  const counts = new Map<InfoCategory, number>();
  for (const i of items)
    if (i.kind === 'notice') counts.set(i.infoCategory, (counts.get(i.infoCategory) ?? 0) + 1);
  return (Object.keys(INFO_CATEGORY_SHORT) as InfoCategory[])
    .filter((c) => counts.has(c))
    .map((category) => ({ category, count: counts.get(category) ?? 0 }));
}

/**
 * The kiosk's home screen: disclosure-category tiles (only categories present
 * in the bundle), office guides by department and topic, 公示公告 currently
 * in their window, and the latest items.
 *
 * @fires gk-browse - a tile or the search button was pressed ({@link BrowseEvent})
 * @fires gk-item-select - an item was chosen
 * @csspart tile - one tile button
 */
@customElement('gk-home')
export class GkHome extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      section {
        margin-bottom: 1em;
      }
      .tiles {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(8em, 1fr));
        gap: 0.5em;
        list-style: none;
        padding: 0;
        margin: 0;
      }
      .list {
        display: grid;
        gap: 0.4em;
        list-style: none;
        padding: 0;
        margin: 0;
      }
      .tiles button,
      .list button {
        width: 100%;
        height: 100%;
        text-align: start;
      }
      .count {
        display: block;
        font-size: 0.8em;
      }
      .search {
        width: 100%;
        font-size: 1.2em;
        margin-bottom: 1em;
      }
      h3 {
        font-size: 1em;
        margin: 0.5em 0 0.3em;
      }
    `,
  ];

  /** All items of the bundle. */
  @property({ attribute: false }) items: Item[] = [];
  /** Whether a 公示公告 is inside its window today (decided by the shell's clock). */
  @property({ attribute: false }) isNoticeActive: (n: Notice) => boolean = () => false;
  /** How many latest items to list. */
  @property({ type: Number }) latestCount = 5;
  /** Converts content text for display (OpenCC) when Traditional is on. */
  @property({ attribute: false }) convert: (s: string) => string = (s) => s;
  /** UI language. */
  @property({ attribute: 'ui-lang' }) uiLang: UiLang = 'zh-Hans';

  override render() {
    const L = this.uiLang;
    const c = this.convert;
    const cats = presentCategories(this.items);
    const guides = this.items.filter((i) => i.kind === 'guide');
    const byDept = new Map<string, typeof guides>();
    for (const g of guides) {
      const dept = g.department ?? g.implementingBody.name;
      byDept.set(dept, [...(byDept.get(dept) ?? []), g]);
    }
    const notices = this.items.filter(
      (i): i is Notice => i.kind === 'notice' && !!i.noticePeriod && this.isNoticeActive(i),
    );
    const latest = this.items
      .filter((i): i is Notice => i.kind === 'notice')
      .sort((a, b) => b.publishDate.localeCompare(a.publishDate))
      .slice(0, this.latestCount);
    const item = (i: Item, extra = '') =>
      html`<li>
        <button part="tile" type="button" data-id=${i.id} @click=${this._onItem}>
          ${c(itemTitle(i))}${extra ? html`<span class="count muted">${extra}</span>` : nothing}
        </button>
      </li>`;
    return html`<button class="search primary" type="button" @click=${this._onSearch}>
        ${t(L, 'search')}：${t(L, 'searchPlaceholder')}
      </button>
      ${
        cats.length
          ? html`<section aria-labelledby="cats">
              <h2 id="cats">${t(L, 'categories')}</h2>
              <ul class="tiles">
                ${cats.map(
                  ({ category, count }) =>
                    html`<li>
                      <button
                        part="tile"
                        type="button"
                        data-category=${category}
                        @click=${this._onCategory}
                      >
                        ${c(INFO_CATEGORY_SHORT[category])}<span class="count muted">${count}</span>
                      </button>
                    </li>`,
                )}
              </ul>
            </section>`
          : nothing
      }
      ${
        guides.length
          ? html`<section aria-labelledby="guides">
              <h2 id="guides">${t(L, 'guides')}</h2>
              ${[...byDept].map(
                ([dept, gs]) =>
                  html`<h3>${c(dept)}</h3>
                    <ul class="list">
                      ${gs.map((g) => item(g, g.topic ? c(g.topic) : ''))}
                    </ul>`,
              )}
            </section>`
          : nothing
      }
      <section aria-labelledby="notices">
        <h2 id="notices">${t(L, 'notices')}</h2>
        ${
          notices.length
            ? html`<ul class="list">
                ${notices.map((n) => item(n, n.noticePeriod?.end ?? ''))}
              </ul>`
            : html`<p class="muted">${t(L, 'noNotices')}</p>`
        }
      </section>
      ${
        latest.length
          ? html`<section aria-labelledby="latest">
              <h2 id="latest">${t(L, 'latest')}</h2>
              <ul class="list">
                ${latest.map((n) => item(n, `${c(n.issuer[0] ?? '')} · ${n.publishDate}`))}
              </ul>
            </section>`
          : nothing
      }`;
  }

  private _onSearch() {
    this.dispatchEvent(new BrowseEvent());
  }

  private _onCategory(e: Event) {
    const category = (e.currentTarget as HTMLElement).dataset.category;
    this.dispatchEvent(new BrowseEvent({ category }));
  }

  private _onItem(e: Event) {
    const id = (e.currentTarget as HTMLElement).dataset.id;
    if (id) this.dispatchEvent(new ItemSelectEvent(id));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-home': GkHome;
  }
  interface HTMLElementEventMap {
    'gk-browse': BrowseEvent;
  }
}
