import { LitElement, css, html } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { formatClock } from '../display/clock.ts';

/**
 * The date and time in the kiosk's configured time zone, whatever the device's zone.
 *
 * @csspart time - the hours and minutes
 */
@customElement('gk-clock')
export class GkClock extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      flex-direction: column;
      align-items: flex-end;
      line-height: 1.3;
    }
    .time {
      font-size: 2em;
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }
  `;

  /** Epoch milliseconds to show. */
  @property({ type: Number }) now = 0;
  /** IANA time zone, e.g. Asia/Shanghai. */
  @property({ attribute: 'time-zone' }) timeZone = 'Asia/Shanghai';

  override render() {
    const { date, time } = formatClock(this.now, this.timeZone);
    return html`<time class="time" part="time" datetime=${new Date(this.now).toISOString()}
        >${time}</time
      ><span class="date">${date}</span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-clock': GkClock;
  }
}
