import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { Item, TaskRow } from '../content/types.ts';
import type { SlidePage } from '../display/playlist.ts';

/** Where an item's public page is: source.url for notices, onlineUrl for guides. */
export function publicUrl(item: Item): string | null {
  const url = item.kind === 'notice' ? item.source?.url : (item.onlineUrl ?? item.source?.url);
  return url && /^https?:\/\//i.test(url) ? url : null;
}

/**
 * One page of a notice or office guide for a screen read from 3 m away:
 * title, issuer, 文号 and dates first, then this page's summary text, task
 * rows or procedure steps, and a QR code to the original (or 原文网址暂缺).
 * Sizes are in em: `<gk-display>` sets the base size per orientation.
 *
 * The QR code is a `<gk-qr>` element, defined by whoever renders this slide
 * (`<gk-display>` imports it), so this file stays free of the encoder.
 *
 * @csspart title - the item's title
 * @csspart body - the page's summary, table or steps
 * @csspart qr - the QR column
 */
@customElement('gk-slide')
export class GkSlide extends LitElement {
  static override styles = css`
    :host {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 0 1.5em;
      height: 100%;
      box-sizing: border-box;
      overflow: hidden;
      color: #1a1a1a;
    }
    :host([orientation='portrait']) {
      grid-template-columns: 1fr;
      grid-template-rows: 1fr auto;
    }
    .main {
      display: flex;
      flex-direction: column;
      min-height: 0;
      min-width: 0;
      overflow: hidden;
    }
    h2 {
      margin: 0 0 0.4em;
      font-size: 1.6em;
      line-height: 1.3;
      color: #8b0000;
      overflow-wrap: anywhere;
      display: -webkit-box;
      -webkit-line-clamp: 3;
      -webkit-box-orient: vertical;
      overflow: hidden;
    }
    dl {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 0.15em 0.6em;
      margin: 0 0 0.6em;
      font-size: 0.8em;
      line-height: 1.4;
      color: #333;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .body {
      flex: 1;
      min-height: 0;
      overflow: hidden;
      line-height: 1.6;
    }
    .summary {
      margin: 0;
      text-indent: 2em;
    }
    table {
      width: 100%;
      border-collapse: collapse;
      font-size: 0.72em;
      line-height: 1.4;
      table-layout: fixed;
    }
    th,
    td {
      border: 1px solid #9e9e9e;
      padding: 0.25em 0.4em;
      vertical-align: top;
      overflow-wrap: anywhere;
      text-align: left;
    }
    th {
      background: #f3e5e5;
    }
    col.seq {
      width: 3em;
    }
    col.task,
    col.lead {
      width: 20%;
    }
    col.deadline {
      width: 12%;
    }
    ol,
    ul {
      margin: 0;
      padding-left: 1.6em;
    }
    li {
      margin-bottom: 0.3em;
    }
    .step-desc {
      display: block;
      font-size: 0.8em;
      color: #333;
    }
    h3 {
      margin: 0 0 0.3em;
      font-size: 1em;
    }
    .qr {
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: flex-start;
      width: 8.5em;
      font-size: 0.8em;
      text-align: center;
    }
    /* Margins, not flex gap: flex gap is Chromium 84, the display tier starts at 66. */
    .qr > * + * {
      margin-top: 0.3em;
    }
    :host([orientation='portrait']) .qr {
      flex-direction: row;
      width: auto;
      justify-content: flex-start;
      padding-top: 0.5em;
      text-align: left;
    }
    :host([orientation='portrait']) .qr > * + * {
      margin-top: 0;
      margin-left: 1em;
    }
    gk-qr {
      width: 8em;
      height: 8em;
    }
    .no-url {
      margin: 0;
      padding: 0.6em;
      border: 2px dashed #757575;
      color: #424242;
    }
    .page {
      margin: 0.3em 0 0;
      font-size: 0.7em;
      color: #424242;
    }
  `;

  /** The item this page belongs to. */
  @property({ attribute: false }) item: Item | null = null;
  /** The page to show (from `paginate`). */
  @property({ attribute: false }) page: SlidePage | null = null;
  /** The 公示期 to print, with its computed last day (null when the calendar lacks it). */
  @property({ attribute: false }) noticeWindow: { start: string; end: string | null } | null = null;
  /** Layout: side QR column in landscape, QR row at the bottom in portrait. */
  @property({ reflect: true }) orientation: 'portrait' | 'landscape' = 'landscape';

  override render() {
    const { item, page } = this;
    if (!item || !page) return nothing;
    const url = publicUrl(item);
    return html`<div class="main">
        <h2 part="title">
          ${item.kind === 'notice' ? item.title['zh-Hans'] : item.itemName['zh-Hans']}
        </h2>
        ${this.renderMeta(item)}
        <div class="body" part="body">${this.renderBody(page)}</div>
        ${page.count > 1 ? html`<p class="page">第 ${page.index + 1}/${page.count} 页</p>` : nothing}
      </div>
      <div class="qr" part="qr">
        ${
          url
            ? html`<gk-qr .value=${url} label="二维码：扫码查看原文"></gk-qr>
                <span>扫码查看原文<br />以原文为准</span>`
            : html`<p class="no-url">原文网址暂缺</p>`
        }
      </div>`;
  }

  private renderMeta(item: Item) {
    const rows: [string, string | null | undefined][] =
      item.kind === 'notice'
        ? [
            ['发布机构', item.issuer.join('、')],
            ['文号', item.docNo],
            ['成文日期', item.writtenDate],
            ['发布日期', item.publishDate],
            [
              '公示期',
              this.noticeWindow
                ? `${this.noticeWindow.start} 至 ${this.noticeWindow.end ?? '（节假日日历缺失，暂无法计算）'}`
                : null,
            ],
          ]
        : [
            ['实施主体', item.implementingBody.name],
            ['办理地点', item.location ?? item.implementingBody.address],
            ['办理时间', item.hours],
            ['承诺时限', item.timeLimit?.promised],
            ['咨询电话', item.consultationPhone],
          ];
    return html`<dl>
      ${rows
        .filter(([, v]) => v)
        .map(
          ([k, v]) =>
            html`<dt>${k}</dt>
              <dd>${v}</dd>`,
        )}
    </dl>`;
  }

  private renderBody(page: SlidePage) {
    const b = page.body;
    switch (b.type) {
      case 'summary':
        return html`<p class="summary">${b.text}</p>`;
      case 'tasks':
        return this.renderTasks(b.rows);
      case 'steps':
        return html`<h3>办理流程</h3>
          <ol start=${b.first}>
            ${b.steps.map(
              (s) =>
                html`<li>
                  ${s.step}${
                    s.desc || s.timeLimit
                      ? html`<span class="step-desc"
                          >${s.desc ?? ''}${s.timeLimit ? `（时限：${s.timeLimit}）` : ''}</span
                        >`
                      : nothing
                  }
                </li>`,
            )}
          </ol>`;
      case 'list':
        return html`${b.heading ? html`<h3>${b.heading}</h3>` : nothing}
          <ul>
            ${b.lines.map((l) => html`<li>${l}</li>`)}
          </ul>`;
      default:
        return nothing;
    }
  }

  private renderTasks(rows: TaskRow[]) {
    return html`<table>
      <colgroup>
        <col class="seq" />
        <col class="task" />
        <col />
        <col class="lead" />
        <col class="deadline" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">序号</th>
          <th scope="col">工作任务</th>
          <th scope="col">具体要求</th>
          <th scope="col">牵头单位</th>
          <th scope="col">完成时限</th>
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <td>${r.seq}</td>
              <td>${r.task}</td>
              <td>${r.requirement ?? ''}</td>
              <td>${r.lead ?? r.responsible ?? ''}</td>
              <td>${r.deadline ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'gk-slide': GkSlide;
  }
}
