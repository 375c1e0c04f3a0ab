import { LitElement, css, html, svg } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { ProcedureStep } from '../content/types.ts';
import { sharedStyles } from './theme.ts';

const BOX_W = 320;
const BOX_H = 64;
const GAP = 36;
const PAD = 8;

/** The text alternative of a procedure: "1. 申请 → 2. 受理 → …". */
export function flowchartAltText(steps: readonly ProcedureStep[]): string {
  return steps.map((s, i) => `${i + 1}. ${s.step}`).join(' → ');
}

/**
 * An office-guide procedure drawn as a top-to-bottom SVG flowchart. The SVG
 * is an image with a text alternative (`alt`, or the steps joined), and the
 * steps with their details follow as an ordered list for readers and TTS.
 *
 * @csspart chart - the SVG
 */
@customElement('gk-flowchart')
export class GkFlowchart extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: grid;
        grid-template-columns: minmax(0, 16em) minmax(0, 1fr);
        gap: 1em;
        align-items: start;
      }
      svg {
        width: 100%;
        height: auto;
      }
      rect {
        fill: var(--gk-card, #fff);
        stroke: var(--gk-accent, #b71c1c);
        stroke-width: 3;
      }
      text {
        fill: var(--gk-ink, #1a1a1a);
        font-size: 26px;
      }
      .arrow {
        stroke: var(--gk-ink, #1a1a1a);
        stroke-width: 3;
        fill: none;
      }
      .head {
        fill: var(--gk-ink, #1a1a1a);
      }
      ol {
        margin: 0;
        padding-inline-start: 1.5em;
      }
      li {
        margin-bottom: 0.4em;
      }
    `,
  ];

  /** The procedure steps in order. */
  @property({ attribute: false }) steps: ProcedureStep[] = [];
  /** A text alternative from the guide, if it has one. */
  @property() alt = '';
  /** Converts step text (OpenCC) when Traditional is on. */
  @property({ attribute: false }) convert: (s: string) => string = (s) => s;

  override render() {
    const c = this.convert;
    const n = this.steps.length;
    const h = n * BOX_H + (n - 1) * GAP + 2 * PAD;
    const label = c(this.alt || flowchartAltText(this.steps));
    return html`<svg
        part="chart"
        role="img"
        aria-label=${label}
        viewBox="0 0 ${BOX_W + 2 * PAD} ${h}"
      >
        ${this.steps.map((s, i) => {
          const y = PAD + i * (BOX_H + GAP);
          const text = c(s.step);
          const shown = text.length > 11 ? `${text.slice(0, 10)}…` : text;
          return svg`<rect x=${PAD} y=${y} width=${BOX_W} height=${BOX_H} rx="10"></rect>
            <text x=${PAD + BOX_W / 2} y=${y + BOX_H / 2} text-anchor="middle" dominant-baseline="central">${i + 1}. ${shown}</text>
            ${
              i < n - 1
                ? svg`<line class="arrow" x1=${PAD + BOX_W / 2} y1=${y + BOX_H} x2=${PAD + BOX_W / 2} y2=${y + BOX_H + GAP - 10}></line>
                  <path class="head" d="M${PAD + BOX_W / 2 - 9} ${y + BOX_H + GAP - 12}h18l-9 12z"></path>`
                : ''
            }`;
        })}
      </svg>
      <ol>
        ${this.steps.map(
          (s) =>
            html`<li>
              <strong>${c(s.step)}</strong>${s.desc ? html`：${c(s.desc)}` : ''}
              ${s.timeLimit ? html`<span class="muted">（${c(s.timeLimit)}）</span>` : ''}
            </li>`,
        )}
      </ol>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-flowchart': GkFlowchart;
  }
}
