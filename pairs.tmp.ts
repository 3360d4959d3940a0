import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { normaliseName } from './src/modules/screening/name-normalise.ts';
import { compareNames, withRoleWeights } from './src/modules/screening/name-score.ts';
const rows = parse(readFileSync('/work/shared/data/matching/nomenklatura/name_bench_cases.csv'), { columns: true }) as any[];
const schemaOf = (s: string) => (s === 'Person' ? 'person' : s === 'Vessel' ? 'vessel' : 'organisation') as any;
const scored = rows.map((r) => {
  const a = normaliseName(r.name1, schemaOf(r.schema)); const b = normaliseName(r.name2, schemaOf(r.schema));
  const c = compareNames(withRoleWeights(a.tokens), withRoleWeights(b.tokens), a.isAbjad || b.isAbjad);
  return { ...r, score: c.score };
});
for (const t of [0.7, 0.75, 0.8, 0.85, 0.9]) {
  let tp=0,fp=0,fn=0,tn=0;
  for (const r of scored) { const m = r.score >= t; const y = r.is_match === 'true'; if (m&&y) tp++; else if (m&&!y) fp++; else if (!m&&y) fn++; else tn++; }
  console.log(t, {tp,fp,fn,tn, precision:(tp/(tp+fp)).toFixed(3), recall:(tp/(tp+fn)).toFixed(3)});
}
const t = 0.85;
console.log('--- FN'); for (const r of scored.filter(r=>r.is_match==='true'&&r.score<t).slice(0,40)) console.log(r.score.toFixed(2), r.schema, '|', r.name1, '|', r.name2);
console.log('--- FP'); for (const r of scored.filter(r=>r.is_match!=='true'&&r.score>=t).slice(0,40)) console.log(r.score.toFixed(2), r.schema, '|', r.name1, '|', r.name2);
