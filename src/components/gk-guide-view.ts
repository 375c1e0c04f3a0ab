import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Guide } from '../content/types.ts';
import { sharedStyles } from './theme.ts';
import { t, type UiKey, type UiLang } from './i18n.ts';
import './gk-flowchart.ts';
import './gk-qr.ts';

/**
 * The office-guide reader (办事指南): materials as a checklist the visitor can
 * tick, the procedure as a flowchart with a text alternative, time limits,
 * fees, place and hours, phones, and a QR code to the online service.
 *
 * @csspart material - one material checkbox row
 */
@customElement('gk-guide-view')
export class GkGuideView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .top {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 1em;
      }
      ul.materials {
        list-style: none;
        padding: 0;
        margin: 0 0 1em;
        display: grid;
        gap: 0.3em;
      }
      label {
        display: flex;
        gap: 0.6em;
        align-items: center;
        min-height: var(--gk-target, 60px);
        padding: 0 0.5em;
        background: var(--gk-card, #fff);
        border: 1px solid var(--gk-line, #8a8a8a);
        border-radius: 0.3em;
      }
      input[type='checkbox'] {
        width: 1.4em;
        height: 1.4em;
        flex: none;
      }
      dl {
        display: grid;
        grid-template-columns: max-content minmax(0, 1fr);
        gap: 0.2em 1em;
      }
      dt {
        color: var(--gk-muted, #4a4a4a);
      }
      dd {
        margin: 0;
        overflow-wrap: anywhere;
      }
      .qrbox {
        text-align: center;
        max-width: 9em;
        font-size: 0.8em;
      }
      .qr {
        width: 8em;
        height: 8em;
        display: block;
        margin: 0 auto;
      }
      .mt {
        border: 2px dashed var(--gk-line, #8a8a8a);
        padding: 0.2em 0.5em;
        display: inline-block;
      }
    `,
  ];

  /** The guide to show. */
  @property({ attribute: false }) item: Guide | null = null;
  /** Converts content text for display (OpenCC cn → hk when Traditional is on). */
  @property({ attribute: false }) convert: ((s: string) => string) | null = null;
  /** UI language. */
  @property({ attribute: 'ui-lang' }) uiLang: UiLang = 'zh-Hans';

  override render() {
    const g = this.item;
    if (!g) return nothing;
    const L = this.uiLang;
    const c = this.convert ?? ((s: string) => s);
    const row = (k: UiKey, v: string | null | undefined) =>
      v
        ? html`<dt>${t(L, k)}</dt>
            <dd>${c(v)}</dd>`
        : nothing;
    const fee = g.fees ? (g.fees.charged ? (g.fees.standard ?? '') : t(L, 'free')) : null;
    return html`<article lang=${this.convert ? 'zh-Hant-HK' : 'zh-Hans'}>
      ${this.convert ? html`<p class="mt" lang="zh-Hant">${t(L, 'machineConverted')}</p>` : nothing}
      <div class="top">
        <div>
          <h1>${c(g.itemName['zh-Hans'])}</h1>
          <dl>
            ${row('implementingBody', g.implementingBody.name)}
            ${row('statutory', g.timeLimit?.statutory)} ${row('promised', g.timeLimit?.promised)}
            ${row('fees', fee)} ${row('place', g.location ?? g.implementingBody.address)}
            ${row('hours', g.hours)} ${row('consultation', g.consultationPhone)}
            ${row('complaint', g.complaintPhone)}
          </dl>
        </div>
        ${
          g.onlineUrl
            ? html`<div class="qrbox">
                <gk-qr class="qr" .value=${g.onlineUrl} .label=${t(L, 'onlineService')}></gk-qr
                >${t(L, 'onlineService')}
              </div>`
            : nothing
        }
      </div>
      ${
        g.materials?.length
          ? html`<h2 id="materials">${t(L, 'materials')}</h2>
              <ul class="materials" aria-labelledby="materials">
                ${g.materials.map(
                  (m) =>
                    html`<li>
                      <label part="material"
                        ><input type="checkbox" />
                        <span
                          >${c(m.name)}
                          <span class="muted"
                            >（${c(m.form)}${m.copies ? ` ×${m.copies}` : ''}，${t(
                              L,
                              m.required ? 'required' : 'optional',
                            )}）</span
                          ></span
                        ></label
                      >
                    </li>`,
                )}
              </ul>`
          : nothing
      }
      ${
        g.procedure?.length
          ? html`<h2>${t(L, 'procedure')}</h2>
              <gk-flowchart
                .steps=${g.procedure}
                .alt=${g.flowchart?.altText ?? ''}
                .convert=${c}
              ></gk-flowchart>`
          : nothing
      }
      <p><strong>${t(L, 'authoritative')}</strong></p>
    </article>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-guide-view': GkGuideView;
  }
}
