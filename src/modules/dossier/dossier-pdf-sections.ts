/**
 * The dossier's first sections, about who the client is: identity, ownership, documents,
 * questionnaire answers and external checks.
 */
import {
  formatActor,
  formatCodeCapitalised,
  formatDate,
  formatInstant,
  formatPercentage,
  formatYesNo,
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
import type { Dossier, DossierClient, DossierOwnership } from './dossier.types.ts';

const DOCUMENT_KINDS = {
  passport: 'Passport',
  identity_card: 'Identity card',
  driving_licence: 'Driving licence',
};

/** Section 1: who the client is. */
export function writeClientSection(pdf: Pdf, client: DossierClient): void {
  writeHeading(pdf, '1. Client');
  const facts: [string, string][] = [
    ['Name', client.name],
    ['Kind', client.kind === 'person' ? 'Natural person' : 'Legal entity'],
    ['Reference', client.reference],
    ['Client type', client.clientType],
    ['Country', client.country],
  ];
  if (client.kind === 'person') {
    facts.push(['Birth date', formatDate(client.birthDate)]);
    facts.push(['Nationality', client.nationalities.join(', ') || '—']);
    const identity = client.identityDocument;
    facts.push([
      'Identity document',
      identity
        ? `${DOCUMENT_KINDS[identity.kind]} no. ${identity.number}, issued by ${identity.issuingCountry}, ` +
          `expires ${formatDate(identity.expiresOn)}, ` +
          (identity.verifiedAt ? `verified ${formatInstant(identity.verifiedAt)}` : 'not verified')
        : 'None recorded',
    ]);
  } else {
    facts.push(['Legal form', client.legalForm]);
    facts.push(['Registration number', client.registrationNumber ?? '—']);
  }
  for (const address of client.addresses) {
    const lines = [...address.lines, `${address.postalCode} ${address.city}`.trim(), address.country];
    facts.push([`${formatCodeCapitalised(address.kind)} address`, lines.filter(Boolean).join(', ')]);
  }
  if (client.addresses.length === 0) facts.push(['Address', 'None recorded']);
  writeFacts(pdf, facts);
}

/** Section 2: who owns the client, down to the natural persons behind it. */
export function writeOwnershipSection(pdf: Pdf, ownership: DossierOwnership | null): void {
  writeHeading(pdf, '2. Ownership');
  if (!ownership) {
    writeParagraph(pdf, 'No ownership structure recorded (the client is a natural person).', {
      isMuted: true,
    });
    return;
  }
  const names = new Map(ownership.nodes.map((node) => [node.id, node.name]));
  const nameOf = (id: string) => names.get(id) ?? id;
  const path = (ids: readonly string[]) => ids.map(nameOf).join(' → ');

  writeSubheading(pdf, 'Parties');
  writeTable(
    pdf,
    [
      { header: 'Name', share: 4 },
      { header: 'Kind', share: 1.5 },
      { header: 'Country', share: 1.2 },
      { header: 'Listed on a sanctions list', share: 2 },
    ],
    ownership.nodes.map((node) => [
      node.name,
      node.kind === 'person' ? 'Person' : 'Entity',
      node.country ?? '—',
      formatYesNo(node.isSanctioned),
    ]),
    'No parties recorded.',
  );

  writeSubheading(pdf, 'Holdings');
  writeTable(
    pdf,
    [
      { header: 'Owner', share: 4 },
      { header: 'Owns', share: 4 },
      { header: 'Share', share: 1.2 },
    ],
    ownership.edges.map((edge) => [
      nameOf(edge.ownerId),
      nameOf(edge.ownedId),
      formatPercentage(edge.percentage),
    ]),
    'No holdings recorded.',
  );

  writeSubheading(pdf, 'Beneficial owners');
  writeTable(
    pdf,
    [
      { header: 'Name', share: 3 },
      { header: 'Indirect share', share: 1.4 },
      { header: 'Through', share: 6 },
    ],
    ownership.beneficialOwners.map((owner) => [
      owner.name,
      formatPercentage(owner.indirectPercentage),
      owner.paths.map(path).join('\n'),
    ]),
    'No beneficial owner identified.',
  );

  writeSubheading(pdf, 'Sanctions by ownership');
  writeTable(
    pdf,
    [
      { header: 'Entity', share: 3 },
      { header: 'Owned by sanctioned parties', share: 1.8 },
      { header: 'Explanation', share: 5 },
    ],
    ownership.sanctionsFlags.map((flag) => [
      flag.name,
      formatPercentage(flag.sanctionedOwnership),
      flag.explanation,
    ]),
    'No party is caught by ownership by sanctioned parties.',
  );

  writeSubheading(pdf, 'Ownership cycles');
  writeList(
    pdf,
    ownership.cycles.map((cycle) => path([...cycle, ...cycle.slice(0, 1)])),
    'No ownership cycles.',
  );
}

/** Section 3: the documents collected and where each stands. */
export function writeDocumentsSection(pdf: Pdf, documents: Dossier['documents']): void {
  writeHeading(pdf, '3. Documents');
  writeTable(
    pdf,
    [
      { header: 'Document', share: 5 },
      { header: 'Status', share: 1.5 },
      { header: 'Expires', share: 1.5 },
    ],
    documents.map((document) => [
      document.name,
      formatCodeCapitalised(document.status),
      formatDate(document.expiresOn),
    ]),
    'No documents recorded.',
  );
}

/** Section 4: the questionnaire answers, only the questions the client was shown. */
export function writeAnswerSetsSection(pdf: Pdf, answerSets: Dossier['answerSets']): void {
  writeHeading(pdf, '4. Questionnaires');
  if (answerSets.length === 0) {
    writeParagraph(pdf, 'No questionnaire answered.', { isMuted: true });
    return;
  }
  for (const answerSet of answerSets) {
    writeSubheading(pdf, `${answerSet.questionnaireTitle} (version ${answerSet.version})`);
    writeParagraph(
      pdf,
      `Submitted ${formatInstant(answerSet.submittedAt)} by ${formatActor(answerSet.submittedBy)}.`,
      { isMuted: true },
    );
    writeTable(
      pdf,
      [
        { header: 'Question', share: 5 },
        { header: 'Answer', share: 4 },
      ],
      answerSet.answers.map((answer) => [answer.question, answer.answer]),
      'No question was answered.',
    );
  }
}

/** Section 5: checks run by outside providers (identity, registries, adverse media). */
export function writeChecksSection(pdf: Pdf, checks: Dossier['checks']): void {
  writeHeading(pdf, '5. Checks');
  writeTable(
    pdf,
    [
      { header: 'Provider', share: 2.2 },
      { header: 'Version', share: 1.1 },
      { header: 'Ran at', share: 2.2 },
      { header: 'Status', share: 1.3 },
      { header: 'Findings', share: 5 },
    ],
    checks.map((check) => [
      check.provider,
      check.providerVersion,
      formatInstant(check.ranAt),
      formatCodeCapitalised(check.status),
      check.findings.length > 0 ? check.findings.join('\n') : 'None',
    ]),
    'No checks run.',
  );
}
