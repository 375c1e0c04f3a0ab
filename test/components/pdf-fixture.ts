// Minimal, valid PDF files for tests and the demo attachment: text pages in a
// standard font (Helvetica, not embedded), optionally a URI link annotation and
// an /OpenAction JavaScript action. Byte offsets of the xref table are computed,
// so pdf.js reads them without repairing.

/** What to put in the PDF. */
export interface PdfSpec {
  /** One entry per page: lines of ASCII text. */
  pages: string[][];
  /** JavaScript run by a viewer that executes document scripts when the file opens. */
  openActionJs?: string;
  /** A URI link annotation on the first page. */
  linkUrl?: string;
}

const escapeText = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);

/** Builds the PDF bytes. */
export function makePdf(spec: PdfSpec): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => {
    objects.push(body);
    return objects.length;
  };
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const link = spec.linkUrl
    ? add(
        `<< /Type /Annot /Subtype /Link /Rect [72 640 400 660] /Border [0 0 0] /A << /S /URI /URI (${escapeText(spec.linkUrl)}) >> >>`,
      )
    : 0;
  const pageIds: number[] = [];
  spec.pages.forEach((lines, i) => {
    const ops = lines
      .map(
        (l, j) => `BT /F1 ${j === 0 ? 24 : 14} Tf 72 ${740 - j * 30} Td (${escapeText(l)}) Tj ET`,
      )
      .join('\n');
    const content = add(`<< /Length ${ops.length} >>\nstream\n${ops}\nendstream`);
    const annots = i === 0 && link ? ` /Annots [${link} 0 R]` : '';
    pageIds.push(
      add(
        `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R${annots} >>`,
      ),
    );
  });
  const js = spec.openActionJs
    ? add(`<< /Type /Action /S /JavaScript /JS (${escapeText(spec.openActionJs)}) >>`)
    : 0;
  objects[catalog - 1] =
    `<< /Type /Catalog /Pages ${pagesObj} 0 R${js ? ` /OpenAction ${js} 0 R` : ''} >>`;
  objects[pagesObj - 1] =
    `<< /Type /Pages /Kids [${pageIds.map((p) => `${p} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;

  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // ASCII only, so string length equals byte length.
  return new TextEncoder().encode(out);
}
