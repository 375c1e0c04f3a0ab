import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { sharedStyles } from './theme.ts';
import { t, type UiLang } from './i18n.ts';

/** Special keys of the on-screen keyboard. */
export const KEY_ACTIONS = { backspace: 'Backspace', clear: 'Clear' } as const;

/** A key of the on-screen keyboard was pressed: a character, `Backspace` or `Clear`. */
export class KeyPressEvent extends Event {
  static readonly eventName = 'gk-key';
  constructor(readonly key: string) {
    super(KeyPressEvent.eventName, { bubbles: true, composed: true });
  }
}

const LETTER_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const DIGITS = '1234567890';
/** The brackets and symbols of 文号 (东府办函〔2007〕198号, [2007], (2007), 2007-01, 1/2). */
const DOC_NO_SYMBOLS = ['〔', '〕', '[', ']', '(', ')', '号', '-', '/'];

/**
 * An on-screen keyboard for pinyin, initials, digits and 文号 symbols. Every
 * key is a real button, so it works by touch, mouse, Tab + Enter/Space and
 * switch access.
 *
 * @fires gk-key - a key was pressed ({@link KeyPressEvent})
 * @csspart key - one key
 */
@customElement('gk-keyboard')
export class GkKeyboard extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        justify-content: center;
        gap: 0.25em;
        margin-bottom: 0.25em;
      }
      button {
        white-space: nowrap;
        padding: 0.1em 0.2em;
        font-size: 1.1em;
        flex: 0 1 var(--gk-target, 60px);
      }
      button.wide {
        flex-basis: calc(var(--gk-target, 60px) * 2);
      }
    `,
  ];

  /** UI language of the key labels. */
  @property({ attribute: 'ui-lang' }) uiLang: UiLang = 'zh-Hans';

  override render() {
    const key = (k: string) =>
      html`<button part="key" type="button" data-key=${k} @click=${this._onKey}>${k}</button>`;
    return html`<div role="group" aria-label=${t(this.uiLang, 'keyboard')}>
      <div class="row">${[...DIGITS].map(key)}</div>
      ${LETTER_ROWS.map((r) => html`<div class="row">${[...r].map(key)}</div>`)}
      <div class="row">
        ${DOC_NO_SYMBOLS.map(key)}
        <button
          part="key"
          type="button"
          class="wide"
          data-key=${KEY_ACTIONS.backspace}
          @click=${this._onKey}
        >
          ⌫ ${t(this.uiLang, 'backspace')}
        </button>
        <button
          part="key"
          type="button"
          class="wide"
          data-key=${KEY_ACTIONS.clear}
          @click=${this._onKey}
        >
          ${t(this.uiLang, 'clear')}
        </button>
      </div>
    </div>`;
  }

  private _onKey(e: Event) {
    const k = (e.currentTarget as HTMLElement).dataset.key;
    if (k) this.dispatchEvent(new KeyPressEvent(k));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-keyboard': GkKeyboard;
  }
  interface HTMLElementEventMap {
    'gk-key': KeyPressEvent;
  }
}
