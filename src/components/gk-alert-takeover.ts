import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Alert } from '../content/types.ts';
import { SEVERITY_LABEL } from '../display/alerts.ts';

/**
 * A 预警信息 filling the screen in its warning-signal colour (红/橙/黄/蓝),
 * announced to assistive technology. Several alerts show "1/3".
 *
 * @csspart headline - the alert's headline
 */
@customElement('gk-alert-takeover')
export class GkAlertTakeover extends LitElement {
  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      justify-content: center;
      height: 100%;
      box-sizing: border-box;
      padding: 1em 1.5em;
      overflow: hidden;
    }
    /* Text colours keep at least 4.5:1 on each signal colour. */
    :host([severity='red']) {
      background: #b71c1c;
      color: #fff;
    }
    :host([severity='orange']) {
      background: #f57c00;
      color: #000;
    }
    :host([severity='yellow']) {
      background: #fdd835;
      color: #000;
    }
    :host([severity='blue']) {
      background: #0d47a1;
      color: #fff;
    }
    .badge {
      width: fit-content;
      margin: 0 0 0.5em;
      padding: 0.1em 0.6em;
      border: 0.12em solid currentColor;
      border-radius: 0.3em;
      font-size: 1.3em;
      font-weight: 700;
      letter-spacing: 0.1em;
    }
    h2 {
      margin: 0 0 0.5em;
      font-size: 1.8em;
      line-height: 1.3;
      overflow-wrap: anywhere;
    }
    .text {
      margin: 0 0 0.8em;
      font-size: 1.2em;
      line-height: 1.6;
      overflow-wrap: anywhere;
    }
    dl {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.2em 0.8em;
      margin: 0;
      font-size: 0.9em;
    }
    dt {
      font-weight: 700;
    }
    dd {
      margin: 0;
    }
    .count {
      margin: 0.8em 0 0;
      font-size: 0.8em;
    }
  `;

  /** The alert to show. */
  @property({ attribute: false }) alert: Alert | null = null;
  /** Reflected from the alert so the colour is pure CSS. */
  @property({ reflect: true }) severity: Alert['severity'] = 'red';
  /** 0-based position among the alerts in force, and how many there are. */
  @property({ type: Number }) index = 0;
  @property({ type: Number }) count = 1;
  /** IANA zone for the effective and expiry times. */
  @property({ attribute: 'time-zone' }) timeZone = 'Asia/Shanghai';

  override willUpdate(): void {
    if (this.alert) this.severity = this.alert.severity;
  }

  override render() {
    const a = this.alert;
    if (!a) return nothing;
    const fmt = new Intl.DateTimeFormat('zh-CN', {
      timeZone: this.timeZone,
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const time = (iso: string) => {
      const t = Date.parse(iso);
      return Number.isNaN(t) ? iso : fmt.format(t);
    };
    return html`<div role="alert">
      <p class="badge">${SEVERITY_LABEL[a.severity]}</p>
      <h2 part="headline">${a.headline['zh-Hans']}</h2>
      <p class="text">${a.text['zh-Hans']}</p>
      <dl>
        <dt>影响区域</dt>
        <dd>${a.area}</dd>
        ${
          a.issuer
            ? html`<dt>发布单位</dt>
                <dd>${a.issuer}</dd>`
            : nothing
        }
        <dt>生效时间</dt>
        <dd>${time(a.effective)}</dd>
        <dt>解除时间</dt>
        <dd>${time(a.expires)}</dd>
      </dl>
      ${this.count > 1 ? html`<p class="count">预警 ${this.index + 1}/${this.count}</p>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-alert-takeover': GkAlertTakeover;
  }
}
