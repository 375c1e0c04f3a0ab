import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { INFO_CATEGORY_SHORT, itemTitle, type InfoCategory, type Item } from '../content/types.ts';
import { ItemSelectEvent } from './gk-notice-list.ts';
import { KEY_ACTIONS, type KeyPressEvent } from './gk-keyboard.ts';
import type { CandidateSelectEvent } from './gk-candidate-bar.ts';
import { sharedStyles } from './theme.ts';
import { t, type UiLang } from './i18n.ts';
import './gk-keyboard.ts';
import './gk-candidate-bar.ts';

/** A highlighted range `[start, end)` of one field of an item (UTF-16 offsets). */
export interface HighlightRange {
  field: string;
  start: number;
  end: number;
}

/** One search result, as the search module returns it. */
export interface SearchHit {
  id: string;
  score: number;
  highlights?: HighlightRange[];
}

/** The search the shell passes in. */
export type SearchFn = (query: string) => SearchHit[];
/** Words of the bundle vocabulary for a pinyin prefix (full pinyin or initials). */
export type CandidatesFn = (pinyinPrefix: string) => string[];

/** Search filters; empty string means all. */
export interface SearchFilterValues {
  category: string;
  issuer: string;
  year: string;
  validity: string;
}

/** The visitor's query changed. */
export class QueryChangeEvent extends Event {
  static readonly eventName = 'gk-query-change';
  constructor(readonly query: string) {
    super(QueryChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The visitor changed a filter. */
export class FiltersChangeEvent extends Event {
  static readonly eventName = 'gk-filters-change';
  constructor(readonly filters: SearchFilterValues) {
    super(FiltersChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The trailing run of Latin letters: the pinyin being composed. */
export function trailingPinyin(query: string): string {
  return /[a-z]+$/i.exec(query)?.[0].toLowerCase() ?? '';
}

/** Splits `text` into plain and marked parts from highlight ranges (merged, clamped). */
export function highlightParts(
  text: string,
  ranges: readonly { start: number; end: number }[],
): { text: string; mark: boolean }[] {
  const sorted = ranges
    .map((r) => ({ start: Math.max(0, r.start), end: Math.min(text.length, r.end) }))
    .filter((r) => r.end > r.start)
    .sort((a, b) => a.start - b.start);
  const parts: { text: string; mark: boolean }[] = [];
  let pos = 0;
  for (const r of sorted) {
    if (r.end <= pos) continue;
    const start = Math.max(r.start, pos);
    if (start > pos) parts.push({ text: text.slice(pos, start), mark: false });
    parts.push({ text: text.slice(start, r.end), mark: true });
    pos = r.end;
  }
  if (pos < text.length) parts.push({ text: text.slice(pos), mark: false });
  return parts;
}

const EMPTY_FILTERS: SearchFilterValues = { category: '', issuer: '', year: '', validity: '' };

function issuerOf(item: Item): string {
  return item.kind === 'notice' ? (item.issuer[0] ?? '') : item.implementingBody.name;
}
function yearOf(item: Item): string {
  const d = item.kind === 'notice' ? item.publishDate : item.updatedAt;
  return d ? d.slice(0, 4) : '';
}
function categoryOf(item: Item): string {
  return item.kind === 'notice' ? item.infoCategory : 'guide-items';
}
function validityOf(item: Item): string {
  return item.validity?.status ?? '';
}

/**
 * The search screen: a query field (physical keyboard and OS IME work), the
 * pinyin candidate bar, the on-screen keyboard, filters and results with the
 * matched text highlighted. The query lives in the parent (so the privacy
 * reset can wipe it); this element reports every change.
 *
 * @fires gk-query-change - the query changed ({@link QueryChangeEvent})
 * @fires gk-filters-change - a filter changed ({@link FiltersChangeEvent})
 * @fires gk-item-select - a result was chosen
 * @csspart result - one result button
 */
@customElement('gk-search-view')
export class GkSearchView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        gap: 0.5em;
        min-height: 0;
      }
      .field {
        display: flex;
        gap: 0.5em;
        align-items: center;
      }
      input[type='search'] {
        flex: 1;
        min-width: 0;
        font: inherit;
        font-size: 1.2em;
        min-height: var(--gk-target, 60px);
        box-sizing: border-box;
        padding: 0 0.5em;
        border: 2px solid var(--gk-line, #8a8a8a);
        border-radius: 0.4em;
        background: var(--gk-card, #fff);
        color: var(--gk-ink, #1a1a1a);
        -webkit-user-select: text;
        user-select: text;
      }
      .filters {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
      label {
        display: flex;
        flex-direction: column;
        font-size: 0.85em;
      }
      select {
        font: inherit;
        min-height: var(--gk-target, 60px);
        max-width: 14em;
        background: var(--gk-card, #fff);
        color: var(--gk-ink, #1a1a1a);
        border: 2px solid var(--gk-line, #8a8a8a);
      }
      .results {
        flex: 1;
        min-height: 6em;
        overflow: auto;
        overscroll-behavior: contain;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: 0.5em;
      }
      ol button {
        width: 100%;
        text-align: start;
        display: block;
      }
      .title {
        display: block;
        font-weight: 600;
      }
      .meta {
        display: block;
        font-size: 0.85em;
      }
      .suggest {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
    `,
  ];

  /** The current query (owned by the parent). */
  @property() query = '';
  /** The current filters (owned by the parent). */
  @property({ attribute: false }) filters: SearchFilterValues = EMPTY_FILTERS;
  /** All items of the bundle, for results and filter options. */
  @property({ attribute: false }) items: Item[] = [];
  /** The search function. */
  @property({ attribute: false }) search: SearchFn = () => [];
  /** The vocabulary lookup for the candidate bar. */
  @property({ attribute: false }) candidates: CandidatesFn = () => [];
  /** Converts content text for display (OpenCC cn → hk when Traditional is on). */
  @property({ attribute: false }) convert: (s: string) => string = (s) => s;
  /** Example queries for the empty state. */
  @property({ attribute: false }) suggestions: string[] = [];
  /** UI language. */
  @property({ attribute: 'ui-lang' }) uiLang: UiLang = 'zh-Hans';

  /** True between compositionstart and compositionend of an OS IME. */
  @state() private _composing = false;

  override render() {
    const L = this.uiLang;
    const pinyin = this._composing ? '' : trailingPinyin(this.query);
    return html`<div class="field">
        <input
          type="search"
          inputmode="none"
          autocomplete="off"
          spellcheck="false"
          aria-label=${t(L, 'search')}
          placeholder=${t(L, 'searchPlaceholder')}
          .value=${live(this.query)}
          @input=${this._onInput}
          @compositionstart=${this._onCompositionStart}
          @compositionend=${this._onCompositionEnd}
        />
      </div>
      <gk-candidate-bar
        .uiLang=${L}
        .pinyin=${pinyin}
        .candidates=${pinyin ? this.candidates(pinyin) : []}
        @gk-candidate-select=${this._onCandidate}
      ></gk-candidate-bar>
      ${this._renderFilters()}
      <section class="results" aria-live="polite" aria-label=${t(L, 'results')}>
        ${this._renderResults()}
      </section>
      <gk-keyboard .uiLang=${L} @gk-key=${this._onKey}></gk-keyboard>`;
  }

  private _renderFilters() {
    const L = this.uiLang;
    const opts = (values: string[], label: (v: string) => string) =>
      [...new Set(values.filter(Boolean))]
        .sort()
        .map((v) => html`<option value=${v}>${label(v)}</option>`);
    const sel = (key: keyof SearchFilterValues, name: string, options: TemplateResult[]) =>
      html`<label
        >${name}
        <select data-filter=${key} .value=${live(this.filters[key])} @change=${this._onFilter}>
          <option value="">${t(L, 'all')}</option>
          ${options}
        </select></label
      >`;
    const catLabel = (c: string) =>
      c === 'guide-items'
        ? t(L, 'guides')
        : this.convert(INFO_CATEGORY_SHORT[c as InfoCategory] ?? c);
    return html`<div class="filters" role="group" aria-label=${t(L, 'filters')}>
      ${sel('category', t(L, 'category'), opts(this.items.map(categoryOf), catLabel))}
      ${sel(
        'issuer',
        t(L, 'issuer'),
        opts(this.items.map(issuerOf), (v) => this.convert(v)),
      )}
      ${sel(
        'year',
        t(L, 'year'),
        opts(this.items.map(yearOf), (v) => v),
      )}
      ${sel(
        'validity',
        t(L, 'validity'),
        opts(this.items.map(validityOf), (v) => this.convert(v)),
      )}
    </div>`;
  }

  private _filtered(): { item: Item; hit: SearchHit | null }[] {
    const byId = new Map(this.items.map((i) => [i.id, i]));
    const q = this.query.trim();
    const base = q
      ? this.search(q).flatMap((hit) => {
          const item = byId.get(hit.id);
          return item ? [{ item, hit }] : [];
        })
      : this._anyFilter()
        ? this.items.map((item) => ({ item, hit: null }))
        : [];
    const f = this.filters;
    return base.filter(
      ({ item }) =>
        (!f.category || categoryOf(item) === f.category) &&
        (!f.issuer || issuerOf(item) === f.issuer) &&
        (!f.year || yearOf(item) === f.year) &&
        (!f.validity || validityOf(item) === f.validity),
    );
  }

  private _anyFilter() {
    return Object.values(this.filters).some(Boolean);
  }

  private _renderResults() {
    const L = this.uiLang;
    if (!this.query.trim() && !this._anyFilter())
      return html`<p class="muted">${t(L, 'startTyping')}</p>
        <p class="muted">${t(L, 'emptyHelp')}</p>`;
    const results = this._filtered();
    if (results.length === 0)
      return html`<h2>${t(L, 'emptyTitle')}</h2>
        <p>${t(L, 'emptyHelp')}</p>
        ${
          this.suggestions.length
            ? html`<p>${t(L, 'emptyTry')}</p>
                <div class="suggest">
                  ${this.suggestions.map(
                    (s) =>
                      html`<button type="button" data-query=${s} @click=${this._onSuggestion}>
                        ${s}
                      </button>`,
                  )}
                </div>`
            : nothing
        }`;
    return html`<p>${t(L, 'resultCount', { n: results.length })}</p>
      <ol>
        ${results.map(({ item, hit }) => {
          const title = itemTitle(item);
          const ranges = (hit?.highlights ?? []).filter((h) => h.field === 'title');
          const docNo = item.kind === 'notice' ? item.docNo : item.itemCode;
          return html`<li>
            <button part="result" type="button" data-id=${item.id} @click=${this._onSelect}>
              <span class="title"
                >${highlightParts(title, ranges).map((p) =>
                  p.mark
                    ? html`<mark>${this.convert(p.text)}</mark>`
                    : html`${this.convert(p.text)}`,
                )}</span
              >
              <span class="meta muted"
                >${this.convert(issuerOf(item))}${docNo ? html` · ${docNo}` : nothing}
                ${yearOf(item) ? html` · ${yearOf(item)}` : nothing}</span
              >
            </button>
          </li>`;
        })}
      </ol>`;
  }

  private _emit(query: string) {
    this.dispatchEvent(new QueryChangeEvent(query));
  }

  private _onKey(e: KeyPressEvent) {
    if (e.key === KEY_ACTIONS.backspace) this._emit([...this.query].slice(0, -1).join(''));
    else if (e.key === KEY_ACTIONS.clear) this._emit('');
    else this._emit(this.query + e.key);
  }

  private _onCandidate(e: CandidateSelectEvent) {
    const base = this.query.slice(0, this.query.length - e.pinyin.length);
    this._emit(base + e.word);
  }

  private _onInput(e: InputEvent) {
    // While an OS IME composes, the field holds unfinished pinyin: wait for compositionend.
    if (this._composing || e.isComposing) return;
    this._emit((e.target as HTMLInputElement).value);
  }

  private _onCompositionStart() {
    this._composing = true;
  }

  private _onCompositionEnd(e: CompositionEvent) {
    this._composing = false;
    this._emit((e.target as HTMLInputElement).value);
  }

  private _onFilter(e: Event) {
    const el = e.currentTarget as HTMLSelectElement;
    const key = el.dataset.filter as keyof SearchFilterValues;
    this.dispatchEvent(new FiltersChangeEvent({ ...this.filters, [key]: el.value }));
  }

  private _onSuggestion(e: Event) {
    const q = (e.currentTarget as HTMLElement).dataset.query;
    if (q) this._emit(q);
  }

  private _onSelect(e: Event) {
    const id = (e.currentTarget as HTMLElement).dataset.id;
    if (id) this.dispatchEvent(new ItemSelectEvent(id));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-search-view': GkSearchView;
  }
  interface HTMLElementEventMap {
    'gk-query-change': QueryChangeEvent;
    'gk-filters-change': FiltersChangeEvent;
  }
}
