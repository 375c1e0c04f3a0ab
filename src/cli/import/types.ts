/**
 * Shapes shared by the importers. An importer turns one file into raw items in
 * the content-model field names (src/content/types.ts); the content normaliser
 * validates them afterwards, so importers never throw on bad input: they report.
 */

/** One thing an importer found wrong or repaired, naming where it was. */
export interface ImportProblem {
  /** The file name as given to {@link importFile}. */
  file: string;
  itemId?: string;
  /** Content-model field, e.g. `docNo`, `tasks[3].lead`. */
  field?: string;
  /** 1-based row (CSV/XLSX) or line (text, Markdown) in the source. */
  row?: number;
  /** A CSS-like path or cell address of the element (HTML, XLSX). */
  element?: string;
  reason: string;
  level: 'error' | 'warning';
}

/** A raw item: content-model field names, values not yet validated. */
export type RawItem = Record<string, unknown>;

/** What {@link importFile} returns for one file. */
export interface ImportResult {
  items: RawItem[];
  problems: ImportProblem[];
}

/** Collects problems for one file so each importer need not repeat the file name. */
export class ProblemLog {
  readonly problems: ImportProblem[] = [];

  constructor(
    readonly file: string,
    public itemId?: string,
  ) {}

  /** Records an error: the item (or row) cannot be trusted as is. */
  error(reason: string, where: Omit<ImportProblem, 'file' | 'reason' | 'level'> = {}): void {
    this.add('error', reason, where);
  }

  /** Records a warning: something was repaired, dropped or left empty. */
  warn(reason: string, where: Omit<ImportProblem, 'file' | 'reason' | 'level'> = {}): void {
    this.add('warning', reason, where);
  }

  private add(
    level: ImportProblem['level'],
    reason: string,
    where: Omit<ImportProblem, 'file' | 'reason' | 'level'>,
  ): void {
    const p: ImportProblem = { file: this.file, reason, level };
    const itemId = where.itemId ?? this.itemId;
    if (itemId) p.itemId = itemId;
    if (where.field) p.field = where.field;
    if (where.row !== undefined) p.row = where.row;
    if (where.element) p.element = where.element;
    this.problems.push(p);
  }
}
