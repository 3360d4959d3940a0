/** The dossier module's public surface: the dossier's shape and its two renderings. */
export { renderDossierPdf } from './dossier-pdf.ts';
export {
  renderDossierJson,
  parseDossierJson,
  DOSSIER_FORMAT,
  DOSSIER_FORMAT_VERSION,
} from './dossier-json.ts';
export {
  DossierSchema,
  type Dossier,
  type DossierActor,
  type DossierClient,
  type DossierOwnership,
  type DossierRiskEvaluation,
} from './dossier.types.ts';
