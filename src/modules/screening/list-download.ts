/**
 * `lists update`: downloads each list's official files and imports them. A failed, empty or cut-off
 * download fails that list only, with the reason; its active version stays as it was.
 */
import type { ListFile } from './list-entity.ts';
import { LIST_SOURCES, type ListSource } from './list-sources.ts';

/** What happened to one list in an update. */
export type UpdateOutcome =
  | {
      listId: string;
      status: 'imported' | 'unchanged';
      entityCount: number;
      added: number;
      removed: number;
      changed: number;
    }
  | { listId: string; status: 'failed'; reason: string }
  | { listId: string; status: 'skipped'; reason: string };

const TIMEOUT_MS = 120_000;
// The largest official list file today is about 25 MB; anything far bigger is not a list.
const MAX_BYTES = 256 * 1024 * 1024;

/** Downloads one file; throws an Error whose message says what went wrong (no partial result). */
export async function downloadFile(address: string, fetcher: typeof fetch = fetch): Promise<Buffer> {
  const url = redactUrl(address);
  let declared = Number.NaN;
  let size = 0;
  try {
    const response = await fetcher(address, {
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: 'follow',
      // Uncompressed, so Content-Length is the size of what arrives (the cut-off check relies on it).
      headers: { 'accept-encoding': 'identity' },
    });
    if (!response.ok) throw new DownloadError(`${url} answered HTTP ${response.status}`);
    declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > MAX_BYTES) throw new DownloadError(`${url} is ${declared} bytes, more than a list can be`);
    if (!response.body) throw new DownloadError(`${url} sent no body`);
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) {
      size += chunk.length;
      if (size > MAX_BYTES) throw new DownloadError(`${url} sent more than ${MAX_BYTES} bytes`);
      chunks.push(Buffer.from(chunk));
    }
    if (Number.isFinite(declared) && size !== declared) throw cutOff(url, size, declared);
    if (size === 0) throw new DownloadError(`${url} sent an empty file`);
    return Buffer.concat(chunks);
  } catch (error) {
    if (error instanceof DownloadError) throw error;
    // fetch reports a dropped connection as "terminated" and a refused one as "fetch failed".
    if (size > 0) throw cutOff(url, size, declared);
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const reason = error instanceof Error ? error.message : String(error);
    throw new DownloadError(`${url} could not be downloaded: ${reason}${cause ? ` (${cause})` : ''}`);
  }
}

/** A URL fit to show: no user name, password or query string (they may hold an access key). */
export function redactUrl(address: string): string {
  try {
    const url = new URL(address);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}

/** A download that failed; the message names the URL and what happened. */
export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

function cutOff(url: string, size: number, declared: number): DownloadError {
  const expected = Number.isFinite(declared) ? ` of ${declared}` : '';
  return new DownloadError(`${url} was cut off: ${size}${expected} bytes arrived`);
}

/** The files to download for a source: official URLs, with configured overrides applied. */
export function filesToDownload(source: ListSource, overrides: Record<string, string> | undefined) {
  if (!source.officialFiles) return null;
  return source.officialFiles.map((file) => ({ ...file, url: overrides?.[file.name] ?? file.url }));
}

/** Imports downloaded files as a new version of a list. */
export type ListImporter = (
  listId: string,
  files: ListFile[],
  sourceLabel: string,
) => Promise<Extract<UpdateOutcome, { status: 'imported' | 'unchanged' }>>;

/** Downloads and imports every list that has an official download (or only `only`). */
export async function updateLists(options: {
  importList: ListImporter;
  urls: Record<string, Record<string, string>>;
  only?: string[];
  fetcher?: typeof fetch;
}): Promise<UpdateOutcome[]> {
  const outcomes: UpdateOutcome[] = [];
  const sources = LIST_SOURCES.filter((source) => !options.only || options.only.includes(source.id));
  for (const source of sources) {
    const files = filesToDownload(source, options.urls[source.id]);
    if (!files) {
      outcomes.push({
        listId: source.id,
        status: 'skipped',
        reason: `no importer for the official format yet; import ${source.derivedFrom ?? 'a derived table'} with \`diligence lists import\``,
      });
      continue;
    }
    try {
      // Every file of an update is needed: a list without its alias file would lose its aliases.
      const downloaded: ListFile[] = [];
      for (const file of files)
        downloaded.push({ name: file.name, bytes: await downloadFile(file.url, options.fetcher) });
      outcomes.push(
        await options.importList(source.id, downloaded, files.map((file) => redactUrl(file.url)).join(' ')),
      );
    } catch (error) {
      outcomes.push({
        listId: source.id,
        status: 'failed',
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return outcomes;
}
