/**
 * Proof of display: a bounded in-memory log of what was shown and when.
 * `<gk-display>` records every slide here and also fires `gk-slide-shown`
 * so the shell can persist entries; the admin panel exports them as CSV.
 */

/** What a screen showed. */
export type ProofKind = 'item' | 'alert' | 'closed' | 'empty';

/** One line of the proof-of-display log. */
export interface ProofEntry {
  /** Trusted epoch milliseconds when the slide appeared. */
  shownAt: number;
  kind: ProofKind;
  /** Item or alert id; empty for the closed and empty cards. */
  id: string;
  title: string;
  /** 1-based page and page count of a paged item. */
  page: number;
  pages: number;
  /** Planned time on screen in ms. */
  dwellMs: number;
  screenId: string;
}

/** A fixed-capacity ring: the oldest entries drop out, memory stays flat for months. */
export class ProofLog {
  private readonly buf: (ProofEntry | undefined)[];
  private start = 0;
  private length = 0;

  constructor(readonly capacity = 5000) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`proof log capacity must be a positive integer: ${capacity}`);
    this.buf = new Array<ProofEntry | undefined>(capacity);
  }

  /** Entries held now (≤ capacity). */
  get size(): number {
    return this.length;
  }

  record(entry: ProofEntry): void {
    const i = (this.start + this.length) % this.capacity;
    this.buf[i] = entry;
    if (this.length < this.capacity) this.length++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** Entries oldest first. */
  entries(): ProofEntry[] {
    const out: ProofEntry[] = [];
    for (let k = 0; k < this.length; k++) {
      const e = this.buf[(this.start + k) % this.capacity];
      if (e) out.push(e);
    }
    return out;
  }

  clear(): void {
    this.buf.fill(undefined);
    this.start = 0;
    this.length = 0;
  }
}

/** Quotes a CSV field and defuses spreadsheet formulas (=, +, -, @ at the start). */
function csvField(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * CSV (RFC 4180, CRLF, UTF-8 BOM so spreadsheet software reads the Chinese)
 * with times as ISO instants and in the screen's zone.
 */
export function proofToCsv(entries: readonly ProofEntry[], timeZone = 'Asia/Shanghai'): string {
  const local = new Intl.DateTimeFormat('sv-SE', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  });
  const header = [
    'shown_at_utc',
    'shown_at_local',
    'screen',
    'kind',
    'id',
    'title',
    'page',
    'pages',
    'dwell_s',
  ];
  const rows = entries.map((e) =>
    [
      new Date(e.shownAt).toISOString(),
      local.format(e.shownAt),
      e.screenId,
      e.kind,
      e.id,
      e.title,
      e.page,
      e.pages,
      e.dwellMs / 1000,
    ]
      .map(csvField)
      .join(','),
  );
  return `\uFEFF${[header.join(','), ...rows].join('\r\n')}\r\n`;
}
