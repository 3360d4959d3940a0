import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { extractText, getDocumentProxy } from 'unpdf';
import { AppError } from '../../platform/errors.ts';
import { loadDossierFonts, renderDossierPdf } from './dossier-pdf.ts';
import { buildExampleDossier } from './dossier.test-fixtures.ts';
import type { Dossier } from './dossier.types.ts';

/** The text of each page as a PDF reader extracts it, whitespace folded so table cells read as lines. */
async function readPages(pdf: Buffer): Promise<string[]> {
  const document = await getDocumentProxy(new Uint8Array(pdf));
  const { text } = await extractText(document, { mergePages: false });
  return text.map((page) => page.replace(/\s+/g, ' '));
}

test('the example dossier prints its key facts as real, searchable text over several pages', async (t) => {
  const started = performance.now();
  const pdf = await renderDossierPdf(buildExampleDossier());
  t.diagnostic(`rendered ${pdf.length} bytes in ${(performance.now() - started).toFixed(0)} ms`);

  assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
  const pages = await readPages(pdf);
  assert.ok(pages.length > 1, `expected several pages, got ${pages.length}`);
  const all = pages.join(' ');
  for (const name of [
    'Ångström Holding ApS',
    'Łukasz Wójcik',
    'Zsófia Erdős',
    'Søren Østergaard',
    'København K',
  ]) {
    assert.ok(all.includes(name), `missing ${name}`);
  }
  assert.match(all, /Outcome Approved/);
  assert.match(all, /Second approver Jonas Lindqvist \(usr_2c88d0\)/);
  assert.match(
    all,
    /False positive, by Maria Nowak \(usr_7f3a91\) on 2026-03-04 10:15 UTC: Different person/,
  );
  assert.match(all, /Łukasz Wójcik → Wójcik Family Holding sp\. z o\.o\. → Nordlys Invest A\/S → Ångström/);
  // The first and the last of 34 rules: the long table ran on without losing a row.
  assert.match(all, /country_high_risk_third_country Client or owner resident/);
  assert.match(all, /history_sar_filed A suspicious activity report/);
  assert.match(all, /customer_shell_indicators .* unknown 0 Missing facts/);
});

test('every page carries the footer with its number and the page count', async () => {
  const pages = await readPages(await renderDossierPdf(buildExampleDossier()));
  assert.ok(pages.length >= 3, `expected at least three pages, got ${pages.length}`);
  pages.forEach((page, index) => {
    assert.ok(
      page.includes(
        `generated at 2026-03-14 09:30 UTC by Maria Nowak (usr_7f3a91) — page ${index + 1} of ${pages.length}`,
      ),
      `page ${index + 1} has no footer`,
    );
  });
  assert.ok(pages[2]?.includes('page 3 of '));
});

test('the text is set in the embedded DejaVu Sans, never in a standard font that lacks Ł and ő', async () => {
  const raw = (await renderDossierPdf(buildExampleDossier())).toString('latin1');
  assert.match(raw, /\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
  assert.match(raw, /\/FontFile2/);
  assert.doesNotMatch(raw, /\/BaseFont \/(Helvetica|Times|Courier)/);
});

test('the same dossier prints the same bytes, so a stored copy can be checked by re-rendering', async () => {
  const first = await renderDossierPdf(buildExampleDossier());
  const second = await renderDossierPdf(buildExampleDossier());
  assert.ok(first.equals(second));
});

test('a table row taller than a page is printed whole, not clamped', async () => {
  const words = Array.from({ length: 600 }, (_, index) => `w${index}`);
  const example = buildExampleDossier();
  const [hit] = example.screeningHits;
  assert.ok(hit);
  const dossier: Dossier = {
    ...example,
    screeningHits: [{ ...hit, explanation: `${words.join(' ')} END-OF-EXPLANATION` }],
  };
  const all = (await readPages(await renderDossierPdf(dossier))).join(' ');
  const seen = new Set(all.split(' '));
  const lost = words.filter((word) => !seen.has(word));
  assert.deepEqual(lost, []);
  assert.ok(all.includes('END-OF-EXPLANATION'));
  assert.ok(all.includes('False positive, by Maria Nowak'), 'the rest of the row follows the long cell');
});

test('a natural person with no ownership, evaluation or decision yet prints each gap in words', async () => {
  const dossier = buildExampleDossier({
    client: {
      kind: 'person',
      id: 'cli_person',
      reference: 'C-2026-0077',
      name: 'Ödön Kovács-Łęcki',
      clientType: 'Private individual',
      country: 'HU',
      addresses: [],
      birthDate: '1984-07-02',
      nationalities: ['HU', 'PL'],
      identityDocument: {
        kind: 'passport',
        number: 'BX4471923',
        issuingCountry: 'HU',
        expiresOn: '2030-09-30',
        verifiedAt: '2026-03-03T08:05:40.000Z',
      },
    },
    ownership: null,
    riskEvaluation: null,
    decision: null,
    screeningHits: [],
  });
  const all = (await readPages(await renderDossierPdf(dossier))).join(' ');
  assert.ok(all.includes('Ödön Kovács-Łęcki'));
  assert.match(all, /Birth date 1984-07-02/);
  assert.match(all, /Passport no\. BX4471923, issued by HU, expires 2030-09-30/);
  assert.ok(all.includes('No ownership structure recorded'));
  assert.ok(all.includes('The client has not been evaluated.'));
  assert.ok(all.includes('No screening hits.'));
  assert.ok(all.includes('No decision recorded yet.'));
});

test('a missing font fails with a message that names the font and the package', async () => {
  const empty = await mkdtemp(path.join(tmpdir(), 'dossier-fonts-'));
  try {
    await assert.rejects(loadDossierFonts(empty), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.code, 'unavailable');
      assert.match(error.message, /DejaVu Sans .*dejavu-fonts-ttf/);
      return true;
    });
  } finally {
    await rm(empty, { recursive: true, force: true });
  }
});
