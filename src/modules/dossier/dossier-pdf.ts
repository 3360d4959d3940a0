/**
 * The dossier as PDF, with pdfkit: real, searchable text in an embedded DejaVu Sans (subset), so
 * names such as Łukasz or Erdős print and can be found, which the standard PDF fonts cannot do.
 * Pages are buffered so each footer can say "page n of m" once the page count is known.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { AppError } from '../../platform/errors.ts';
import {
  writeRiskSection,
  writeDecisionSection,
  writeHistorySection,
  writeScreeningSection,
} from './dossier-pdf-assessment.ts';
import { formatActor, formatInstant } from './dossier-pdf-format.ts';
import { flushHeadings, FONTS, writeTitle, type Pdf } from './dossier-pdf-layout.ts';
import {
  writeAnswerSetsSection,
  writeChecksSection,
  writeClientSection,
  writeDocumentsSection,
  writeOwnershipSection,
} from './dossier-pdf-sections.ts';
import type { Dossier } from './dossier.types.ts';

/** The font files a dossier embeds. */
export type DossierFonts = Record<keyof typeof FONTS, Buffer>;

const MARGINS = { top: 56, bottom: 60, left: 50, right: 50 };
const FONT_PACKAGE = 'dejavu-fonts-ttf';
const FONT_FILES: Record<keyof typeof FONTS, string> = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  tableRegular: 'DejaVuSansCondensed.ttf',
  tableBold: 'DejaVuSansCondensed-Bold.ttf',
};

let shippedFonts: Promise<DossierFonts> | undefined;

/** Renders the dossier as a PDF document. */
export async function renderDossierPdf(dossier: Dossier): Promise<Buffer> {
  const fonts = await loadShippedFonts();
  const pdf: Pdf = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    info: {
      Title: `Due-diligence dossier: ${dossier.client.name}`,
      Author: dossier.tenant.name,
      Subject: 'Customer due-diligence evidence',
      Creator: 'Diligence',
      Producer: 'Diligence',
      // The generation time, not the rendering time, so a re-render describes the same moment.
      CreationDate: new Date(dossier.generatedAt),
    },
  });
  for (const face of Object.keys(FONTS) as (keyof typeof FONTS)[]) pdf.registerFont(FONTS[face], fonts[face]);
  const bytes = collect(pdf);

  writeTitle(
    pdf,
    'Customer due-diligence dossier',
    `${dossier.client.name} · ${dossier.tenant.name} · generated ${formatInstant(dossier.generatedAt)} ` +
      `by ${formatActor(dossier.generatedBy)}`,
  );
  writeClientSection(pdf, dossier.client);
  writeOwnershipSection(pdf, dossier.ownership);
  writeDocumentsSection(pdf, dossier.documents);
  writeAnswerSetsSection(pdf, dossier.answerSets);
  writeChecksSection(pdf, dossier.checks);
  writeScreeningSection(pdf, dossier.screeningHits);
  writeRiskSection(pdf, dossier.riskEvaluation);
  writeDecisionSection(pdf, dossier.decision);
  writeHistorySection(pdf, dossier.history);
  flushHeadings(pdf);
  writePageFurniture(pdf, dossier);

  pdf.end();
  return bytes;
}

/** Reads the DejaVu Sans faces from a folder, failing with a clear message when they are absent. */
export async function loadDossierFonts(folder: string): Promise<DossierFonts> {
  try {
    const read = (file: string) =>
      // eslint-disable-next-line security/detect-non-literal-fs-filename -- the font package's folder, fixed names
      readFile(path.join(folder, file));
    const [regular, bold, tableRegular, tableBold] = await Promise.all([
      read(FONT_FILES.regular),
      read(FONT_FILES.bold),
      read(FONT_FILES.tableRegular),
      read(FONT_FILES.tableBold),
    ]);
    return { regular, bold, tableRegular, tableBold };
  } catch (error) {
    throw fontMissing(error);
  }
}

/** The fonts of the dejavu-fonts-ttf package, read once per process. */
function loadShippedFonts(): Promise<DossierFonts> {
  shippedFonts ??= findFontFolder()
    .then(loadDossierFonts)
    .catch((error: unknown) => {
      // Forget the failure, so installing the package fixes a running server.
      shippedFonts = undefined;
      throw error;
    });
  return shippedFonts;
}

async function findFontFolder(): Promise<string> {
  try {
    const manifest = createRequire(import.meta.url).resolve(`${FONT_PACKAGE}/package.json`);
    return path.join(path.dirname(manifest), 'ttf');
  } catch (error) {
    throw fontMissing(error);
  }
}

function fontMissing(error: unknown): AppError {
  return new AppError(
    'unavailable',
    `Dossiers cannot be printed: the font DejaVu Sans is missing (npm package ${FONT_PACKAGE}). ` +
      'Reinstall the dependencies with npm ci.',
    { cause: error instanceof Error ? error.message : String(error) },
  );
}

/** A running header and the footer on every page, written once the page count is known. */
function writePageFurniture(pdf: Pdf, dossier: Dossier): void {
  const range = pdf.bufferedPageRange();
  const header = `Due-diligence dossier · ${dossier.client.name} · ${dossier.tenant.name}`;
  const generated = `generated at ${formatInstant(dossier.generatedAt)} by ${formatActor(dossier.generatedBy)}`;
  for (let index = 0; index < range.count; index++) {
    pdf.switchToPage(range.start + index);
    const { margins } = pdf.page;
    const width = pdf.page.width - margins.left - margins.right;
    // Writing inside the bottom margin would make pdfkit open a new page; lift the margin meanwhile.
    const bottom = margins.bottom;
    margins.bottom = 0;
    pdf.font(FONTS.regular).fontSize(7.5).fillColor('#555555');
    pdf.text(header, margins.left, margins.top - 24, { width, lineBreak: false, ellipsis: true });
    pdf.text(
      `${generated} — page ${index + 1} of ${range.count}`,
      margins.left,
      pdf.page.height - bottom + 22,
      { width, align: 'center' },
    );
    margins.bottom = bottom;
  }
  pdf.fillColor('#111111');
}

/** The whole document as one buffer, once pdfkit has finished writing. */
function collect(pdf: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}
