import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';

/** One line of status for visitors and staff. */
export interface StatusMessage {
  level: 'error' | 'warning' | 'info';
  text: string;
}

/**
 * Status and error lines (configuration errors, sync problems). Errors are
 * announced to assistive technology.
 *
 * @csspart message - one message line
 */
@customElement('gk-status-banner')
export class GkStatusBanner extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    p {
      margin: 0 0 0.5rem;
      padding: 0.75rem 1rem;
      border-radius: 0.4rem;
      font-size: 1rem;
      line-height: 1.5;
      overflow-wrap: anywhere;
    }
    .error {
      background: #fdecea;
      color: #7f1d1d;
      border: 1px solid #b71c1c;
    }
    .warning {
      background: #fff4e5;
      color: #663c00;
      border: 1px solid #b26a00;
    }
    .info {
      background: #e8f0fe;
      color: #0b3a8c;
      border: 1px solid #0b57d0;
    }
  `;

  /** Messages to show, most important first. */
  @property({ attribute: false }) messages: StatusMessage[] = [];

  override render() {
    const hasError = this.messages.some((m) => m.level === 'error');
    return html`<div role=${hasError ? 'alert' : 'status'}>
      ${this.messages.map((m) => html`<p part="message" class=${m.level}>${m.text}</p>`)}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-status-banner': GkStatusBanner;
  }
}
