/**
 * The dossier's later sections, about what the firm concluded: screening hits and how each was
 * resolved, the risk evaluation with every rule, the decision and the review history.
 */
import {
  formatActor,
  formatCode,
  formatCodeCapitalised,
  formatInstant,
  formatVariable,
} from './dossier-pdf-format.ts';
import {
  writeFacts,
  writeHeading,
  writeList,
  writeParagraph,
  writeSubheading,
  writeTable,
  type Pdf,
} from './dossier-pdf-layout.ts';
import type { Dossier, DossierRiskEvaluation } from './dossier.types.ts';

/** Section 6: possible matches against sanctions, PEP and other lists, and their resolution. */
export function writeScreeningSection(pdf: Pdf, hits: Dossier['screeningHits']): void {
  writeHeading(pdf, '6. Screening hits');
  writeTable(
    pdf,
    [
      { header: 'List', share: 1.8 },
      { header: 'Listed name', share: 2.2 },
      { header: 'Score', share: 1 },
      { header: 'Why it matched', share: 3.5 },
      { header: 'Resolution', share: 4 },
    ],
    hits.map((hit) => [
      hit.list,
      hit.entityName,
      hit.score.toFixed(2),
      hit.explanation,
      hit.resolution
        ? `${formatCodeCapitalised(hit.resolution.outcome)}, by ${formatActor(hit.resolution.by)} ` +
          `on ${formatInstant(hit.resolution.at)}: ${hit.resolution.reason}`
        : 'Unresolved',
    ]),
    'No screening hits.',
  );
}

/** Section 7: the risk evaluation in force, with every rule and every value the model saw. */
export function writeRiskSection(pdf: Pdf, evaluation: DossierRiskEvaluation | null): void {
  writeHeading(pdf, '7. Risk evaluation');
  if (!evaluation) {
    writeParagraph(pdf, 'The client has not been evaluated.', { isMuted: true });
    return;
  }
  const facts: [string, string][] = [
    ['Model', `${evaluation.modelName}, version ${evaluation.modelVersion}`],
    ['Evaluated at', formatInstant(evaluation.evaluatedAt)],
    ['Risk level', formatCodeCapitalised(evaluation.level)],
    ['Disposition', formatCodeCapitalised(evaluation.disposition)],
    ['Total points', String(evaluation.points)],
  ];
  const override = evaluation.override;
  facts.push([
    'Override',
    override
      ? `Level set to ${override.level} by ${formatActor(override.by)} on ${formatInstant(override.at)}, ` +
        `until ${formatInstant(override.expiresAt)}: ${override.reason}`
      : 'None',
  ]);
  writeFacts(pdf, facts);

  writeSubheading(pdf, 'Reasons');
  writeList(pdf, evaluation.reasons, 'No reasons recorded.');

  writeSubheading(pdf, 'Points by risk factor');
  writeTable(
    pdf,
    [
      { header: 'Factor', share: 3 },
      { header: 'Points', share: 1 },
    ],
    Object.entries(evaluation.pointsByFactor).map(([factor, points]) => [
      formatCodeCapitalised(factor),
      String(points),
    ]),
    'No points by factor recorded.',
  );

  writeSubheading(pdf, 'Rules');
  writeTable(
    pdf,
    [
      { header: 'Rule', share: 3.8 },
      { header: 'What it tests', share: 4.2 },
      { header: 'Outcome', share: 1.2 },
      { header: 'Points', share: 0.9 },
      { header: 'Note', share: 2.4 },
    ],
    evaluation.rules.map((rule) => [
      rule.id,
      rule.description,
      formatCode(rule.outcome),
      String(rule.points),
      rule.note ?? '',
    ]),
    'The model has no rules.',
  );

  writeSubheading(pdf, 'Values the model saw');
  writeTable(
    pdf,
    [
      { header: 'Variable', share: 3 },
      { header: 'Value', share: 4 },
    ],
    Object.entries(evaluation.variables)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
      .map(([name, value]) => [name, formatVariable(value)]),
    'No values recorded.',
  );
}

/** Section 8: the decision on the client, with the four-eyes approver when there was one. */
export function writeDecisionSection(pdf: Pdf, decision: Dossier['decision']): void {
  writeHeading(pdf, '8. Decision');
  if (!decision) {
    writeParagraph(pdf, 'No decision recorded yet.', { isMuted: true });
    return;
  }
  writeFacts(pdf, [
    ['Outcome', formatCodeCapitalised(decision.outcome)],
    ['Decided by', formatActor(decision.decidedBy)],
    ['Second approver', decision.secondApprover ? formatActor(decision.secondApprover) : 'None'],
    ['Decided at', formatInstant(decision.decidedAt)],
    ['Note', decision.note || '—'],
  ]);
}

/** Section 9: the review history, in the order the case recorded it. */
export function writeHistorySection(pdf: Pdf, history: Dossier['history']): void {
  writeHeading(pdf, '9. Review history');
  writeTable(
    pdf,
    [
      { header: 'When', share: 2 },
      { header: 'Who', share: 2.5 },
      { header: 'What', share: 5.5 },
    ],
    history.map((event) => [
      formatInstant(event.at),
      formatActor(event.actor),
      `${event.event}: ${event.summary}`,
    ]),
    'No case events recorded.',
  );
}
