/**
 * The few layout pieces the dossier needs on top of pdfkit: headings kept with what follows them,
 * paragraphs, label/value lists and tables whose rows move whole to the next page under a repeated
 * header. pdfkit's own table clamps a row taller than a page and ellipsises cell text; a dossier is
 * evidence, so here nothing is ever cut: such a row is written out as flowing paragraphs instead.
 */
import type PDFDocument from 'pdfkit';

/** The document being written. */
export type Pdf = InstanceType<typeof PDFDocument>;

/** Font names registered on every dossier document; tables use the condensed faces to fit ids. */
export const FONTS = {
  regular: 'dossier-regular',
  bold: 'dossier-bold',
  tableRegular: 'dossier-table-regular',
  tableBold: 'dossier-table-bold',
} as const;

/** A table column: its header and its share of the text width (shares need not add up to 1). */
export type Column = { header: string; share: number };

const BODY_SIZE = 9.5;
const TABLE_SIZE = 8.5;
const CELL_PADDING = 3.5;
const LINE_GAP = 1;
const INK = '#111111';
const MUTED = '#555555';
const RULE = '#c8c8c8';
const HEADER_FILL = '#ececec';
const HEADINGS = {
  section: { size: 13, before: 12, after: 8, hasRule: true },
  subsection: { size: 10.5, before: 6, after: 4, hasRule: false },
} as const;
/** The least of the next block that must follow a heading on its page (about two lines of text). */
const MIN_FOLLOWING = 28;

type PendingHeading = { text: string; level: keyof typeof HEADINGS };
/**
 * Headings wait until the block after them is known, so they move to the next page together with
 * its first lines instead of standing alone at the foot of a page.
 */
const pendingHeadings = new WeakMap<Pdf, PendingHeading[]>();

/** Width available for text between the margins. */
function textWidth(pdf: Pdf): number {
  return pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
}

/** Height left on a fresh page. */
function pageRoom(pdf: Pdf): number {
  return pdf.page.maxY() - pdf.page.margins.top;
}

/** The document title block. */
export function writeTitle(pdf: Pdf, title: string, subtitle: string): void {
  pdf.font(FONTS.bold).fontSize(18).fillColor(INK).text(title, pdf.page.margins.left, pdf.y);
  pdf.font(FONTS.regular).fontSize(BODY_SIZE).fillColor(MUTED).text(subtitle, { lineGap: LINE_GAP });
  pdf.fillColor(INK).moveDown(1);
}

/** A numbered section heading; it is written with the block that follows it. */
export function writeHeading(pdf: Pdf, text: string): void {
  queueHeading(pdf, { text, level: 'section' });
}

/** A heading inside a section; it is written with the block that follows it. */
export function writeSubheading(pdf: Pdf, text: string): void {
  queueHeading(pdf, { text, level: 'subsection' });
}

function queueHeading(pdf: Pdf, heading: PendingHeading): void {
  const pending = pendingHeadings.get(pdf) ?? [];
  pending.push(heading);
  pendingHeadings.set(pdf, pending);
}

function headingHeight(pdf: Pdf, heading: PendingHeading): number {
  const style = HEADINGS[heading.level];
  pdf.font(FONTS.bold).fontSize(style.size);
  return style.before + pdf.heightOfString(heading.text, { width: textWidth(pdf) }) + style.after;
}

/**
 * Writes the waiting headings, first moving to a new page unless they and `following` points of
 * the next block fit. Every block writer calls this first; the renderer calls it last.
 */
export function flushHeadings(pdf: Pdf, following = MIN_FOLLOWING): void {
  const pending = pendingHeadings.get(pdf) ?? [];
  pendingHeadings.delete(pdf);
  const headingsHeight = pending.reduce((sum, heading) => sum + headingHeight(pdf, heading), 0);
  const needed = headingsHeight + Math.min(following, pageRoom(pdf) - headingsHeight);
  if (pdf.y + needed > pdf.page.maxY() && pdf.y > pdf.page.margins.top) pdf.addPage();
  for (const heading of pending) {
    const style = HEADINGS[heading.level];
    const left = pdf.page.margins.left;
    if (pdf.y > pdf.page.margins.top) pdf.y += style.before;
    // Sections become bookmarks, so a reader can jump to the screening or the decision.
    if (heading.level === 'section') pdf.outline.addItem(heading.text);
    pdf
      .font(FONTS.bold)
      .fontSize(style.size)
      .fillColor(INK)
      .text(heading.text, left, pdf.y, {
        width: textWidth(pdf),
      });
    if (style.hasRule) {
      const y = pdf.y + 1;
      pdf
        .save()
        .lineWidth(0.6)
        .strokeColor(RULE)
        .moveTo(left, y)
        .lineTo(left + textWidth(pdf), y)
        .stroke();
      pdf.restore();
    }
    pdf.y += style.after;
  }
}

/** Body text; pdfkit carries it onto following pages by itself. */
export function writeParagraph(pdf: Pdf, text: string, options: { isMuted?: boolean } = {}): void {
  flushHeadings(pdf);
  pdf
    .font(FONTS.regular)
    .fontSize(BODY_SIZE)
    .fillColor(options.isMuted ? MUTED : INK)
    .text(text, pdf.page.margins.left, pdf.y, { width: textWidth(pdf), lineGap: LINE_GAP });
  pdf.fillColor(INK).moveDown(0.3);
}

/** A bulleted list, or `empty` when there is nothing to list. */
export function writeList(pdf: Pdf, items: readonly string[], empty: string): void {
  if (items.length === 0) return writeParagraph(pdf, empty, { isMuted: true });
  for (const item of items) writeParagraph(pdf, `•  ${item}`);
}

/** Label/value pairs as a two-column table without a header. */
export function writeFacts(pdf: Pdf, facts: readonly (readonly [string, string])[]): void {
  writeRows(
    pdf,
    [
      { header: '', share: 0.28 },
      { header: '', share: 0.72 },
    ],
    facts,
    { hasHeader: false, boldFirstColumn: true },
  );
}

/** A table with a header row repeated on every page it runs onto, or `empty` when it has no rows. */
export function writeTable(
  pdf: Pdf,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  empty: string,
): void {
  if (rows.length === 0) return writeParagraph(pdf, empty, { isMuted: true });
  writeRows(pdf, columns, rows, { hasHeader: true, boldFirstColumn: false });
}

type RowStyle = { hasHeader: boolean; boldFirstColumn: boolean };

function writeRows(
  pdf: Pdf,
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  style: RowStyle,
): void {
  const left = pdf.page.margins.left;
  const totalShare = columns.reduce((sum, column) => sum + column.share, 0);
  const widths = columns.map((column) => (column.share / totalShare) * textWidth(pdf));
  const headers = columns.map((column) => column.header);
  const boldFont = () => FONTS.tableBold;
  const headerHeight = style.hasHeader ? measureRow(pdf, headers, widths, boldFont) : 0;
  const fontOf = (index: number) =>
    style.boldFirstColumn && index === 0 ? FONTS.tableBold : FONTS.tableRegular;

  // A header with no row under it is useless at the foot of a page: keep it with the first row.
  const firstRowHeight = rows[0] ? measureRow(pdf, rows[0], widths, fontOf) : 0;
  flushHeadings(pdf, headerHeight + firstRowHeight);
  let y = pdf.y;
  // The header is drawn just before a drawn row: at the start, on each new page, after a long row.
  let needsHeader = style.hasHeader;
  for (const row of rows) {
    const height = measureRow(pdf, row, widths, fontOf);
    if (height > pageRoom(pdf) - headerHeight) {
      y = writeRowAsParagraphs(pdf, headers, row, y);
      needsHeader = style.hasHeader;
      continue;
    }
    if (y + (needsHeader ? headerHeight : 0) + height > pdf.page.maxY()) {
      pdf.addPage();
      y = pdf.y;
      needsHeader = style.hasHeader;
    }
    if (needsHeader) y = drawRow(pdf, headers, widths, y, headerHeight, boldFont, HEADER_FILL);
    needsHeader = false;
    y = drawRow(pdf, row, widths, y, height, fontOf, null);
  }
  pdf.x = left;
  pdf.y = y;
  pdf.moveDown(0.6);
}

function measureRow(
  pdf: Pdf,
  cells: readonly string[],
  widths: readonly number[],
  fontOf: (index: number) => string,
): number {
  let tallest = 0;
  cells.forEach((cell, index) => {
    pdf.font(fontOf(index)).fontSize(TABLE_SIZE);
    const width = (widths[index] ?? 0) - 2 * CELL_PADDING;
    tallest = Math.max(tallest, pdf.heightOfString(cell || ' ', { width, lineGap: LINE_GAP }));
  });
  // A little slack so pdfkit's own line check never sees the last line as overflowing.
  return tallest + 2 * CELL_PADDING + 1;
}

function drawRow(
  pdf: Pdf,
  cells: readonly string[],
  widths: readonly number[],
  y: number,
  height: number,
  fontOf: (index: number) => string,
  fill: string | null,
): number {
  const left = pdf.page.margins.left;
  const right = pdf.page.width - pdf.page.margins.right;
  if (fill)
    pdf
      .save()
      .rect(left, y, right - left, height)
      .fill(fill)
      .restore();
  let x = left;
  cells.forEach((cell, index) => {
    const width = widths[index] ?? 0;
    pdf
      .font(fontOf(index))
      .fontSize(TABLE_SIZE)
      .fillColor(INK)
      .text(cell, x + CELL_PADDING, y + CELL_PADDING, { width: width - 2 * CELL_PADDING, lineGap: LINE_GAP });
    x += width;
  });
  pdf
    .save()
    .lineWidth(0.4)
    .strokeColor(RULE)
    .moveTo(left, y + height)
    .lineTo(right, y + height)
    .stroke()
    .restore();
  return y + height;
}

/** Writes a row too tall for any page as "header: value" paragraphs, which flow across pages. */
function writeRowAsParagraphs(
  pdf: Pdf,
  headers: readonly string[],
  row: readonly string[],
  y: number,
): number {
  pdf.y = y + CELL_PADDING;
  row.forEach((cell, index) => {
    const label = headers[index];
    writeParagraph(pdf, label ? `${label}: ${cell}` : cell);
  });
  const left = pdf.page.margins.left;
  pdf
    .save()
    .lineWidth(0.4)
    .strokeColor(RULE)
    .moveTo(left, pdf.y)
    .lineTo(left + textWidth(pdf), pdf.y)
    .stroke();
  pdf.restore();
  return pdf.y;
}
