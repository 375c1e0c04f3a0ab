import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { VisitorSettings } from '../display/session.ts';
import { FONT_SIZES } from './theme.ts';
import { sharedStyles } from './theme.ts';
import { UI_LANGS, UI_LANG_NAMES, t } from './i18n.ts';

/** The visitor changed a display setting. */
export class SettingsChangeEvent extends Event {
  static readonly eventName = 'gk-settings-change';
  constructor(readonly settings: VisitorSettings) {
    super(SettingsChangeEvent.eventName, { bubbles: true, composed: true });
  }
}

/** The visitor asked to hear (or stop hearing) the current screen. */
export class ReadAloudEvent extends Event {
  static readonly eventName = 'gk-read-aloud';
  constructor(readonly stop: boolean) {
    super(ReadAloudEvent.eventName, { bubbles: true, composed: true });
  }
}

/**
 * Display settings for everyone: font size 大/中/小, elder mode, high
 * contrast, UI language, Traditional content and read-aloud. Toggle buttons
 * use aria-pressed, so state is never shown by colour alone.
 *
 * @fires gk-settings-change - a setting changed ({@link SettingsChangeEvent})
 * @fires gk-read-aloud - read-aloud was pressed ({@link ReadAloudEvent})
 */
@customElement('gk-settings-bar')
export class GkSettingsBar extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
      }
      /* Margins, not flex gap: flex gap is Chromium 84, the supported tier starts at 83. */
      .bar > * {
        margin: 0.15em 1em 0.15em 0;
      }
      [role='group'] {
        display: flex;
        align-items: center;
      }
      [role='group'] > * + * {
        margin-left: 0.25em;
      }
      .message {
        margin: 0.3em 0 0;
        font-weight: 600;
      }
    `,
  ];

  /** Current settings. */
  @property({ attribute: false }) settings!: VisitorSettings;
  /** Whether a voice for the UI language exists. */
  @property({ type: Boolean }) canSpeak = false;
  /** Whether reading is in progress. */
  @property({ type: Boolean }) speaking = false;
  /** A message to show (e.g. that no Chinese voice exists). */
  @property() message = '';

  override render() {
    const s = this.settings;
    const L = s.uiLang;
    const toggle = (label: string, pressed: boolean, patch: Partial<VisitorSettings>) =>
      html`<button type="button" aria-pressed=${pressed} @click=${() => this._change(patch)}>
        ${label}
      </button>`;
    return html`<div class="bar" role="toolbar" aria-label=${t(L, 'settings')}>
        <div role="group" aria-label=${t(L, 'fontSize')}>
          ${[...FONT_SIZES]
            .reverse()
            .map((f) => toggle(t(L, f), s.fontSize === f, { fontSize: f }))}
        </div>
        ${toggle(t(L, 'elderMode'), s.elder, { elder: !s.elder })}
        ${toggle(t(L, 'highContrast'), s.highContrast, { highContrast: !s.highContrast })}
        <div role="group" aria-label=${t(L, 'language')}>
          ${UI_LANGS.map(
            (l) =>
              html`<button
                type="button"
                lang=${l}
                aria-pressed=${s.uiLang === l}
                @click=${() => this._change({ uiLang: l })}
              >
                ${UI_LANG_NAMES[l]}
              </button>`,
          )}
        </div>
        ${toggle(t(L, 'traditional'), s.traditionalContent, {
          traditionalContent: !s.traditionalContent,
        })}
        <button type="button" @click=${this._onRead}>
          ${t(L, this.speaking ? 'stopReading' : 'readAloud')}
        </button>
      </div>
      ${this.message ? html`<p class="message" role="status">${this.message}</p>` : nothing}`;
  }

  private _change(patch: Partial<VisitorSettings>) {
    this.dispatchEvent(new SettingsChangeEvent({ ...this.settings, ...patch }));
  }

  private _onRead() {
    this.dispatchEvent(new ReadAloudEvent(this.speaking));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-settings-bar': GkSettingsBar;
  }
  interface HTMLElementEventMap {
    'gk-settings-change': SettingsChangeEvent;
    'gk-read-aloud': ReadAloudEvent;
  }
}
