import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/components/gk-pdf-view.ts';
import '../../src/components/gk-notice-view.ts';
import type { GkPdfView, PdfjsModule } from '../../src/components/gk-pdf-view.ts';
import type { GkNoticeView } from '../../src/components/gk-notice-view.ts';
import { makePdf } from './pdf-fixture.ts';
import { notice, themedHost } from './gk-kiosk.fixtures.ts';

// pdf.js as the shell loads it: the module on demand, its worker from the same origin.
let pdfjs: Promise<PdfjsModule> | null = null;
const loadPdfjs = () =>
  (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs').then((m) => {
    m.GlobalWorkerOptions.workerSrc = '/node_modules/pdfjs-dist/legacy/build/pdf.worker.min.mjs';
    return m;
  }));

const BEACON = '__gk_pdf_beacon__';

/** Dark pixels drawn on a page canvas (text strokes). */
function inkedPixels(canvas: HTMLCanvasElement): number {
  const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] < 128) n++;
  return n;
}

async function rendered(el: GkPdfView) {
  await waitUntil(
    () => /页|failed|无法/.test(el.shadowRoot!.querySelector('[role=status]')!.textContent!),
    'the PDF did not finish',
    { timeout: 15_000 },
  );
  await el.updateComplete;
}

describe('gk-pdf-view', () => {
  it('renders every page to a canvas, with its text and its links as QR codes, and passes axe', async () => {
    const data = makePdf({
      pages: [
        ['Gongkai demo attachment', 'Page one text'],
        ['Second page', 'More text'],
      ],
      linkUrl: 'https://www.example.gov.cn/original',
    });
    const el = await fixture<GkPdfView>(
      html`<gk-pdf-view .data=${data} label="demo.pdf" .loadPdfjs=${loadPdfjs}></gk-pdf-view>`,
      { parentNode: themedHost(false) },
    );
    await rendered(el);
    const root = el.shadowRoot!;
    expect(root.querySelector('[role=status]')!.textContent).to.contain('2 页');
    const canvases = [...root.querySelectorAll('canvas')];
    expect(canvases).to.have.length(2);
    for (const c of canvases) {
      expect(c.width).to.be.greaterThan(300);
      expect(inkedPixels(c)).to.be.greaterThan(100);
    }
    expect(canvases[1].getAttribute('aria-label')).to.equal('demo.pdf 第 2 页');
    expect(root.querySelector('.text')!.textContent).to.contain('Page one text');
    expect(root.querySelector('gk-qr')!.value).to.equal('https://www.example.gov.cn/original');
    // Nothing clickable comes from the file: no anchors, no annotation layer.
    expect(root.querySelectorAll('a, [href], form, input, iframe, object, embed')).to.have.length(
      0,
    );
    await expect(el).to.be.accessible();
  });

  it('never runs a PDF’s JavaScript (OpenAction), which the file does carry', async () => {
    const js = `app.launchURL("/${BEACON}?launch", true); this.getURL("/${BEACON}?get"); this.submitForm("/${BEACON}?submit");`;
    const data = makePdf({ pages: [['Has a script']], openActionJs: js });
    // The payload is in the file: pdf.js reads it as the document's open action.
    const lib = await loadPdfjs();
    const doc = await lib.getDocument({ data: data.slice(), isEvalSupported: false }).promise;
    expect(JSON.stringify(await doc.getJSActions())).to.contain(BEACON);
    await doc.destroy();

    const opened: unknown[] = [];
    const realOpen = window.open;
    window.open = (...args: unknown[]) => {
      opened.push(args);
      return null;
    };
    const href = location.href;
    try {
      const el = await fixture<GkPdfView>(
        html`<gk-pdf-view .data=${data} label="script.pdf" .loadPdfjs=${loadPdfjs}></gk-pdf-view>`,
      );
      await rendered(el);
      expect(el.shadowRoot!.querySelectorAll('canvas')).to.have.length(1);
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      window.open = realOpen;
    }
    const beacons = performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes(BEACON))
      .map((e) => e.name);
    expect(beacons).to.deep.equal([]);
    expect(opened).to.deep.equal([]);
    expect(location.href).to.equal(href);
  });

  it('says so when the file is not a PDF', async () => {
    const el = await fixture<GkPdfView>(
      html`<gk-pdf-view
        .data=${new TextEncoder().encode('not a pdf')}
        .loadPdfjs=${loadPdfjs}
      ></gk-pdf-view>`,
    );
    await rendered(el);
    expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.contain('无法显示');
    expect(el.shadowRoot!.querySelectorAll('canvas')).to.have.length(0);
  });
});

describe('gk-notice-view attachments', () => {
  it('opens a PDF attachment from the shell’s loader and closes it again', async () => {
    const bytes = makePdf({ pages: [['Work plan attachment']] });
    const asked: string[] = [];
    const el = await fixture<GkNoticeView>(
      html`<gk-notice-view
        .item=${notice}
        .loadAttachment=${async (a: { sha256: string }) => {
          asked.push(a.sha256);
          return bytes;
        }}
        .loadPdfjs=${loadPdfjs}
      ></gk-notice-view>`,
      { parentNode: themedHost(true) },
    );
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-attachment="0"]')!;
    expect(button.getAttribute('aria-expanded')).to.equal('false');
    button.click();
    await waitUntil(() => el.shadowRoot!.querySelector('gk-pdf-view'), 'no PDF view');
    const view = el.shadowRoot!.querySelector('gk-pdf-view')!;
    await rendered(view);
    expect(asked).to.deep.equal([notice.attachments![0].sha256]);
    expect(view.shadowRoot!.querySelectorAll('canvas')).to.have.length(1);
    expect(button.getAttribute('aria-expanded')).to.equal('true');
    await expect(el).to.be.accessible();
    button.click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('gk-pdf-view')).to.equal(null);
  });

  it('shows an image attachment from a blob URL', async () => {
    // A 1×1 PNG.
    const png = Uint8Array.from(
      atob(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
      ),
      (c) => c.charCodeAt(0),
    );
    const item = {
      ...notice,
      attachments: [{ name: '现场照片.png', mime: 'image/png', sha256: 'b'.repeat(64) }],
    };
    const el = await fixture<GkNoticeView>(
      html`<gk-notice-view .item=${item} .loadAttachment=${async () => png}></gk-notice-view>`,
    );
    el.shadowRoot!.querySelector<HTMLButtonElement>('button[data-attachment="0"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelector('.attachment img'), 'no image');
    const img = el.shadowRoot!.querySelector<HTMLImageElement>('.attachment img')!;
    expect(img.src.startsWith('blob:')).to.equal(true);
    expect(img.alt).to.equal('现场照片.png');
    await img.decode();
    expect(img.naturalWidth).to.equal(1);
  });
});
