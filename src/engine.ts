import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, type Diagnostic } from './diagnostics/diagnostic.js';
import { openRunCache } from './cache/run-cache.js';
import { emitFiles, type EmittedFile } from './emit/emit-files.js';
import { formatCode } from './emit/format-code.js';
import { createTemplateRenderer } from './emit/render-template.js';
import { loadDomainModel } from './load/load-domain-model.js';
import { loadGuidelinesOption } from './load/load-guidelines.js';
import { loadSpec } from './load/load-spec.js';
import { loadProjectTemplates, type ProjectTemplates } from './load/project-templates.js';
import { buildModel } from './model/build-model.js';
import { buildDomainModel } from './model/domain/build-domain.js';
import { reportSuperLinearDomainPatterns } from './model/domain/domain-patterns.js';
import { bindOperations } from './model/crud/bind-operations.js';
import { bindSignIn } from './model/crud/bind-sign-in.js';
import { inferDomainModel } from './model/infer/infer-domain.js';
import { defaultPackageName, PACKAGE_NAME, type GenerateOptions } from './options/options-schema.js';
import { buildPlan } from './plan/build-plan.js';
import { buildGenerationReport, REPORT_PATH, type ImplementationCounts } from './plan/generation-report.js';
import { operationReports, type OperationReport } from './plan/rules/operation-report.js';
import { DATABASE_DEPENDENCIES, DATABASE_DEV_DEPENDENCIES, GATEWAY_DEPENDENCIES, PROJECT_DEPENDENCIES, PROJECT_DEV_DEPENDENCIES, PROJECT_OVERRIDES } from './plan/project-dependencies.js';
import { JOURNAL_PATH, loadApiSnapshot, loadProjectState, SCHEMA_SNAPSHOT_PATH } from './load/load-project-state.js';
import { planApiChanges, type ApiChanges } from './plan/api-changes.js';
import { API_SNAPSHOT_PATH, buildApiSnapshot, serializeApiSnapshot } from './plan/api-snapshot.js';
import { relationalSchema } from './model/domain/relational-schema.js';
import { declaresIdempotency } from './model/operations.js';
import { planMigrations } from './plan/migrations.js';
import { buildLintView } from './plan/lint-view.js';
import { buildPersistenceView } from './plan/persistence-view.js';
import { reportSerializerFallbacks } from './plan/serializer-fallbacks.js';
import { planSharedModules } from './plan/shared-modules.js';
import type { PlannedFile } from './plan/types.js';
import { buildProjectView, type ProjectView } from './plan/view-model.js';
import { CONFIG_SCHEMA_FILE, createProjectConfig } from './project/project-config.js';
import { UPSTREAM_NOTICES_PATH, upstreamNotices } from './project/upstream-notices.js';
import { extendUserFiles } from './write/extend/extend-user-files.js';
import { FileReader } from './write/file-reader.js';
import { CONFIG_PATH } from './write/manifest.js';
import { hasInterruptedWrite, recoverInterruptedWrite, writeProject, type WriteResult } from './write/write-project.js';

export type Stage = 'load' | 'model' | 'plan' | 'emit' | 'write';

export interface GenerateResult {
  outDir: string;
  diagnostics: Diagnostic[];
  files: WriteResult['actions'];
  /** Whether the run wrote (or, on a dry run, would write) anything. */
  changed: boolean;
  /** On a dry run, the unified diff of every file that would change. */
  diffs: WriteResult['diffs'];
  /**
   * What was found of a run interrupted while writing: `completed` (it had staged everything, its files
   * were moved into place), `discarded` (it had not, the project was left as it was), `pending` (a dry
   * run, which leaves it for the next run).
   */
  interrupted?: 'completed' | 'discarded' | 'pending';
  /** With --force, the folder (relative to outDir) where edited generator-owned files were saved. */
  backupDir?: string;
  operationCount: number;
  resourceCount: number;
  /** Operations implemented as CRUD, as domain actions, and left as 501 stubs (details in .scaffold/report.md). */
  implementations: ImplementationCounts;
  /** Per operation: what is generated from declarations, and the rules its description states that are not. */
  operationReports: OperationReport[];
  /** The semantic API changes since the last generation (src/plan/api-changes.ts); undefined on a first one. */
  apiChanges?: ApiChanges;
}

const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
/** Modules the generator runs and also copies into every project (see src/plan/shared-modules.ts). */
const SHARED_DIR = join(PACKAGE_ROOT, 'src', 'shared');

export async function toolVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

/**
 * The pipeline: load -> model -> plan -> emit -> write. Never prompts, never exits the process;
 * every problem surfaces as a ScaffoldError carrying located diagnostics, and nothing is written
 * unless every stage before `write` succeeded.
 */
export async function generate(options: GenerateOptions, onStage: (stage: Stage) => void = () => {}): Promise<GenerateResult> {
  const outDir = resolve(options.out);
  const version = await toolVersion();
  // Before anything reads the project: a run killed while writing is finished or undone first.
  const interrupted = options.dryRun ? ((await hasInterruptedWrite(outDir)) ? 'pending' : undefined) : await recoverInterruptedWrite(outDir);

  // One cache of expensive work for every stage; a dry run reads it but writes nothing, the cache included.
  const cache = await openRunCache(outDir);
  try {
    onStage('load');
    const designText = (path: string) => options.designTexts?.get(resolve(path));
    const spec = await loadSpec(options.spec, { cache, text: designText(options.spec), designFolder: options.design, allowRemoteRefs: options.allowRemoteRefs });
    const previousApi = await loadApiSnapshot(outDir);
    const { guidelines, diagnostics: guidelineNotes } = await loadGuidelinesOption(options.guidelines);
    const loadedModels = options.models === undefined ? undefined : await loadDomainModel(options.models, designText(options.models), options.design);
    const modelled = loadedModels && buildDomainModel(loadedModels, { identity: guidelines.idType });
    const templates = await loadProjectTemplates(outDir, TEMPLATES_DIR, version);
    const upstream = await upstreamNotices(outDir, templates.upstreamChanges, version);

    onStage('model');
    const { model, diagnostics } = buildModel(spec, guidelines.apiPrefix, cache);
    diagnostics.push(...guidelineNotes, ...(loadedModels ? reportSuperLinearDomainPatterns(loadedModels) : []));
    const inferred = modelled || options.persistence === 'none' ? undefined : inferDomainModel(model, guidelines.idType);
    const domain = modelled ?? inferred?.domain;
    const crud = domain && bindOperations(model, domain);
    const signIn = crud && domain && bindSignIn(model, domain, crud);
    const packageName = options.name ?? defaultPackageName(model.title);
    if (!PACKAGE_NAME.test(packageName)) {
      fail('SCF022', `--name ${JSON.stringify(packageName)} is not a valid npm package name`, undefined, 'use lowercase letters, digits, - . _ ~ and an optional @scope/');
    }

    onStage('plan');
    const schema = domain && relationalSchema(domain, { idempotencyKeys: declaresIdempotency(model) });
    const persisted = schema && (await planPersistence(outDir, schema, options.allowDataLoss));
    const api = planApiChanges(previousApi.snapshot, buildApiSnapshot(model, { cache, pieceHashes: spec.pieceHashes }));
    diagnostics.push(...previousApi.diagnostics, ...upstream.diagnostics);
    // Warnings first: the report lists them.
    diagnostics.push(...reportSerializerFallbacks(model.resources, model.schemas, cache, spec.pieceHashes));
    const report = buildGenerationReport(model, crud, diagnostics, { spec: basename(spec.path), models: options.models && basename(options.models), inferred, apiChanges: api.reported }, { domain });
    const view = buildProjectView(model, {
      packageName,
      specFile: basename(spec.path),
      toolVersion: version,
      document: spec.document,
      documentPieces: spec.pieceHashes && { cache, hashes: spec.pieceHashes },
      domain,
      persistence: domain && schema && buildPersistenceView(domain, schema, guidelines.layers.repositories.classSuffix),
      classSuffixes: { controller: guidelines.layers.controllers.classSuffix, service: guidelines.layers.services.classSuffix },
      lint: buildLintView(guidelines),
      errorEnvelope: guidelines.errorEnvelope ?? true,
      crud,
      signIn,
      dependencies: { ...PROJECT_DEPENDENCIES, ...(domain && DATABASE_DEPENDENCIES), ...(domain && domain.gateways.length > 0 && GATEWAY_DEPENDENCIES) },
      devDependencies: { ...PROJECT_DEV_DEPENDENCIES, ...(domain && DATABASE_DEV_DEPENDENCIES) },
      overrides: PROJECT_OVERRIDES,
      report,
      schema,
      migrationFiles: (persisted ?? []).filter((file) => /^migrations\/[^/]+\.sql$/.test(file.path)).map((file) => file.path),
    });
    const plan = buildPlan(view, templates.paths, [...(await planSharedModules(SHARED_DIR)), ...(persisted ?? [])], guidelines);

    onStage('emit');
    const partials = Object.fromEntries([...templates.partials].map(([name, partial]) => [name, partial.text]));
    const genHeader = renderGenHeader(templates, partials, view);
    const files: EmittedFile[] = await emitFiles(plan, { templatesDir: TEMPLATES_DIR, document: spec.document, documentFingerprint: spec.fingerprint, documentPieceHashes: spec.pieceHashes, genHeader, partials, cache, templateSources: templates.sources, extensions: templates.extensions });
    const config = createProjectConfig(outDir, {
      spec: spec.path,
      models: options.models,
      guidelines: options.guidelines,
      persistence: options.persistence,
      design: options.design,
      allowRemoteRefs: options.allowRemoteRefs,
      name: packageName,
      templateHelpers: templates.helpersModule,
    });
    files.push(
      // Not through prettier: on a large API the snapshot is megabytes, and its layout is stable.
      { id: API_SNAPSHOT_PATH, path: API_SNAPSHOT_PATH, owner: 'generator', content: serializeApiSnapshot(api.snapshot) },
      // Usually written as prettier would write it (tested): on a large API its tables take prettier a second.
      { id: REPORT_PATH, path: REPORT_PATH, owner: 'generator', content: report.formatted ? report.markdown : await formatCode(REPORT_PATH, report.markdown, cache) },
      { id: CONFIG_PATH, path: CONFIG_PATH, owner: 'generator', content: `${JSON.stringify(config, null, 2)}\n` },
      {
        id: `.scaffold/${CONFIG_SCHEMA_FILE}`,
        path: `.scaffold/${CONFIG_SCHEMA_FILE}`,
        owner: 'generator',
        content: await readFile(join(PACKAGE_ROOT, 'schemas', 'project-config.schema.json'), 'utf8'),
      },
      ...(upstream.file ? [upstream.file] : []),
    );

    onStage('write');
    // One reader of the project's files for the extension and the write: each file is read once.
    const reader = new FileReader(outDir);
    const extension = await extendUserFiles(files, outDir, breakingMethods(api.changes, view), reader);
    diagnostics.push(...extension.diagnostics);
    const written = await writeProject(files, {
      extended: extension.extended,
      reader,
      outDir,
      toolVersion: version,
      dryRun: options.dryRun,
      force: options.force,
      // State the next run reads back: an edit there is an input that reaches the new output.
      readBack: [CONFIG_PATH, JOURNAL_PATH, SCHEMA_SNAPSHOT_PATH, API_SNAPSHOT_PATH, UPSTREAM_NOTICES_PATH],
    });
    diagnostics.push(...written.diagnostics);
    if (!options.dryRun) await cache.save();
    return {
      outDir,
      diagnostics,
      files: written.actions,
      changed: written.changed,
      diffs: written.diffs,
      ...(written.backupDir && { backupDir: written.backupDir }),
      ...(interrupted && { interrupted }),
      operationCount: view.operationCount,
      resourceCount: view.resources.length,
      implementations: report.counts,
      operationReports: operationReports(report),
      ...(api.changes && { apiChanges: api.changes }),
    };
  } finally {
    cache.close(); // after save(), a no-op; after a dry or failed run, the cache's files are let go all the same
  }
}

/**
 * The do-not-edit header, rendered once with the project's view for the files no template renders
 * (openapi-typescript's types). Rendered before any template that includes it, so that a broken header
 * of the project's is reported at its own path and line.
 */
function renderGenHeader(templates: ProjectTemplates, partials: Record<string, string>, view: ProjectView): string {
  const header = templates.partials.get('genHeader');
  if (!header) fail('SCF024', 'partials/gen-header.hbs is missing from the templates of scaffold');
  return createTemplateRenderer(partials, templates.extensions).render(header.source.shownAs, header.text, view, header.source.override ? 'SCF065' : 'SCF024');
}

/**
 * The database side of a generation: a migration when the schema changed since the last one (written
 * once, never rewritten), drizzle's journal of migrations, and the snapshot the next run compares with.
 */
async function planPersistence(outDir: string, schema: ReturnType<typeof relationalSchema>, allowDataLoss = false): Promise<PlannedFile[]> {
  const state = await loadProjectState(outDir);
  const migrations = planMigrations(state.schemaSnapshot, schema, state.journal, { allowDataLoss });
  const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  const sqlFiles = [...state.migrations, ...(migrations.added ? [migrations.added] : [])];
  return [
    ...sqlFiles.map((file): PlannedFile => ({ id: file.path, path: file.path, owner: 'user', source: { kind: 'text', content: file.sql } })),
    { id: JOURNAL_PATH, path: JOURNAL_PATH, owner: 'generator', source: { kind: 'text', content: json(migrations.journal) } },
    { id: SCHEMA_SNAPSHOT_PATH, path: SCHEMA_SNAPSHOT_PATH, owner: 'generator', source: { kind: 'text', content: json(migrations.snapshot) } },
  ];
}

/** The service and controller methods of operations that changed in a breaking way: overrides of them may no longer type-check. */
function breakingMethods(changes: ApiChanges | undefined, view: ProjectView): Set<string> {
  const breaking = new Set((changes?.changed ?? []).filter((c) => c.breaking).map((c) => c.operation.operationId));
  return new Set(view.resources.flatMap((r) => r.operations.filter((o) => breaking.has(o.operationId)).map((o) => o.methodName)));
}
