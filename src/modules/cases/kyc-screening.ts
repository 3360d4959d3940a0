/**
 * Screening inside a KYC check: every subject's names against the active lists, each hit kept
 * once per subject and entry (best score), compared with the disposition memory, and prepared as
 * rows with the explanation sealed (it holds the subject's name tokens).
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../platform/actor.ts';
import { materialEntityHash, treatHit, type RememberedResolution } from './hit-memory.ts';
import type { HitForFacts } from './kyc-facts.ts';
import type { PipelineDeps, ScreeningHitLike } from './kyc-pipeline.deps.ts';
import { screeningQueries, type KycSubject } from './kyc-subjects.ts';
import type { HitRow } from './cases.repo.ts';

/** A hit ready to store, without its case (the pipeline adds it). */
export type NewHit = Omit<HitRow, 'case_id' | 'client_version' | 'explanation_sealed'> & {
  explanation: unknown;
};

/** Screens the subjects; returns the hits for the facts and the rows to store. */
export async function screenSubjects(
  deps: Pick<PipelineDeps, 'screen' | 'currentEntities' | 'clock'>,
  actor: Actor,
  input: { clientId: string; subjects: readonly KycSubject[]; memory: readonly RememberedResolution[] },
): Promise<{ hits: (HitForFacts & { listId: string; sourceId: string })[]; rows: NewHit[]; reused: number }> {
  const queries = input.subjects.flatMap((subject) =>
    screeningQueries(subject).map((query) => ({ subject, query })),
  );
  const results =
    queries.length > 0
      ? await deps.screen(
          actor,
          queries.map((entry) => entry.query),
        )
      : [];
  const best = new Map<string, { subject: KycSubject; hit: ScreeningHitLike }>();
  results.forEach((hits, index) => {
    const { subject } = queries[index]!;
    for (const hit of hits) {
      const key = `${subject.id}|${hit.listId}|${hit.sourceId}`;
      const seen = best.get(key);
      if (!seen || seen.hit.score < hit.score) best.set(key, { subject, hit });
    }
  });
  const pairs = [
    ...new Map([...best.values()].map(({ hit }) => [`${hit.listId}:${hit.sourceId}`, hit])).values(),
  ];
  const entities = await deps.currentEntities(
    pairs.map((hit) => ({ listId: hit.listId, sourceId: hit.sourceId })),
  );
  const now = deps.clock.now();
  const rows: NewHit[] = [];
  let reused = 0;
  for (const { subject, hit } of best.values()) {
    const entity = entities.get(`${hit.listId}:${hit.sourceId}`);
    // An entry gone from the list since the search still gets a hash: its resolution cannot match.
    const entityHash = entity ? materialEntityHash(entity) : `missing:${hit.listId}:${hit.sourceId}`;
    const subjectHash = subject.dataHash.toString('hex');
    const treatment = treatHit(
      {
        clientId: input.clientId,
        subjectId: subject.id,
        listId: hit.listId,
        sourceId: hit.sourceId,
        entityHash,
        subjectHash,
      },
      input.memory,
    );
    if (treatment.action === 'reuse') reused += 1;
    rows.push({
      id: randomUUID(),
      client_id: input.clientId,
      subject_id: subject.id,
      list_id: hit.listId,
      source_id: hit.sourceId,
      topics: hit.topics,
      entity_hash: entityHash,
      subject_hash: subject.dataHash,
      score: String(hit.score),
      explanation: hit.explanation,
      status: treatment.action === 'reuse' ? treatment.resolution.resolution : 'open',
      reused_from: treatment.action === 'reuse' ? treatment.resolution.hitId : null,
      reason_sealed: null,
      resolved_by: null,
      resolved_at: treatment.action === 'reuse' ? now : null,
      created_at: now,
    });
  }
  const hits = rows.map((row) => ({
    subjectId: row.subject_id,
    status: row.status,
    topics: row.topics,
    score: Number(row.score),
    listId: row.list_id,
    sourceId: row.source_id,
  }));
  return { hits, rows, reused };
}
