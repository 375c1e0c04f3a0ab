import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { itemTitle, type Item } from '../content/types.ts';

/** The item that was chosen. */
export class ItemSelectEvent extends Event {
  static readonly eventName = 'gk-item-select';
  constructor(readonly itemId: string) {
    super(ItemSelectEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * A list of notices and office guides as cards: title, issuer, 文号, date.
 *
 * @fires gk-item-select - an item card was activated
 * @csspart card - one item card
 */
@customElement('gk-notice-list')
export class GkNoticeList extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr));
      gap: 1rem;
    }
    button {
      all: unset;
      box-sizing: border-box;
      display: block;
      width: 100%;
      min-height: 60px;
      padding: 1rem 1.25rem;
      background: var(--gk-card, #fff);
      color: var(--gk-ink, #1a1a1a);
      border-radius: 0.5rem;
      border-left: 0.4rem solid var(--gk-accent, #b71c1c);
      box-shadow: 0 1px 3px rgb(0 0 0 / 0.15);
      cursor: pointer;
    }
    button:focus-visible {
      outline: 3px solid var(--gk-focus, #0b57d0);
      outline-offset: 2px;
    }
    .kind {
      font-size: 0.85em;
      color: var(--gk-muted, #555);
    }
    .title {
      display: block;
      font-size: 1.2em;
      font-weight: 600;
      margin: 0.25rem 0;
      line-height: 1.4;
    }
    .meta {
      font-size: 0.9em;
      color: var(--gk-muted, #555);
    }
    .empty {
      font-size: 1.2em;
      color: var(--gk-muted, #555);
    }
  `;

  /** Items to list, in display order. */
  @property({ attribute: false }) items: Item[] = [];
  /** Accessible name of the list. */
  @property() label = '信息列表';

  override render() {
    if (this.items.length === 0) return html`<p class="empty">暂无可显示的信息</p>`;
    return html`<ul aria-label=${this.label}>
      ${this.items.map((item) => html`<li>${this._card(item)}</li>`)}
    </ul>`;
  }

  private _card(item: Item) {
    const kind = item.kind === 'notice' ? item.docType : '办事指南';
    const issuer = item.kind === 'notice' ? item.issuer.join('、') : item.implementingBody.name;
    const docNo = item.kind === 'notice' ? item.docNo : item.itemCode;
    const date = item.kind === 'notice' ? item.publishDate : item.updatedAt;
    return html`<button part="card" data-id=${item.id} @click=${this._onSelect}>
      <span class="kind">${kind}</span>
      <span class="title">${itemTitle(item)}</span>
      <span class="meta"
        >${issuer}${docNo ? html` · ${docNo}` : nothing}${date ? html` · ${date}` : nothing}</span
      >
    </button>`;
  }

  private _onSelect(e: Event) {
    const id = (e.currentTarget as HTMLElement).dataset.id;
    if (id) this.dispatchEvent(new ItemSelectEvent(id));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-notice-list': GkNoticeList;
  }
  interface HTMLElementEventMap {
    'gk-item-select': ItemSelectEvent;
  }
}
