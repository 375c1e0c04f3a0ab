import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sharedStyles } from './theme.ts';
import { t, type UiLang } from './i18n.ts';

/** A candidate word was chosen for the pinyin being typed. */
export class CandidateSelectEvent extends Event {
  static readonly eventName = 'gk-candidate-select';
  constructor(
    readonly word: string,
    readonly pinyin: string,
  ) {
    super(CandidateSelectEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * The candidate bar of the kiosk's pinyin input: the words of the bundle's
 * vocabulary that match the pinyin typed so far, as an IME shows them.
 *
 * @fires gk-candidate-select - a word was chosen ({@link CandidateSelectEvent})
 * @csspart candidate - one candidate button
 */
@customElement('gk-candidate-bar')
export class GkCandidateBar extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        min-height: calc(var(--gk-target, 60px) + 0.5em);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.4em;
        align-items: center;
      }
      .pinyin {
        font-family: monospace;
        padding: 0 0.5em;
      }
    `,
  ];

  /** The pinyin being composed (shown before the candidates). */
  @property() pinyin = '';
  /** Words to offer, best first. */
  @property({ attribute: false }) candidates: string[] = [];
  /** How many candidates to show. */
  @property({ type: Number }) max = 8;
  /** UI language. */
  @property({ attribute: 'ui-lang' }) uiLang: UiLang = 'zh-Hans';

  override render() {
    if (!this.pinyin) return html``;
    const shown = this.candidates.slice(0, this.max);
    return html`<ul aria-label=${t(this.uiLang, 'candidates')}>
      <li class="pinyin" aria-hidden="true">${this.pinyin}</li>
      ${
        shown.length === 0
          ? html`<li class="muted">${t(this.uiLang, 'noCandidates')}</li>`
          : shown.map(
              (w, i) =>
                html`<li>
                  <button part="candidate" type="button" data-word=${w} @click=${this._onPick}>
                    <span aria-hidden="true" class="muted">${i + 1}</span> ${w}
                  </button>
                </li>`,
            )
      }
    </ul>`;
  }

  private _onPick(e: Event) {
    const w = (e.currentTarget as HTMLElement).dataset.word;
    if (w) this.dispatchEvent(new CandidateSelectEvent(w, this.pinyin));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-candidate-bar': GkCandidateBar;
  }
  interface HTMLElementEventMap {
    'gk-candidate-select': CandidateSelectEvent;
  }
}
