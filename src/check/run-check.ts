import { resolve } from 'node:path';
import { error, ScaffoldError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { generate, toolVersion } from '../engine.js';
import { readProjectConfig, resolveFromProject } from '../project/project-config.js';
import { CONFIG_PATH } from '../write/manifest.js';
import { exitCodeOf, type CheckResult } from './check-result.js';
import { driftSection } from './drift.js';
import { guidelinesSection } from './guidelines.js';
import { proseRulesSection } from './prose-rules.js';
import { loadGuidelinesOption } from '../load/load-guidelines.js';
import { loadSpec } from '../load/load-spec.js';
import { buildModel } from '../model/build-model.js';

/**
 * `scaffold check` on one project: the generation its `.scaffold/config.json` describes, as a dry run
 * (nothing is written, not even the recovery of an interrupted run), turned into named sections.
 * Never throws for a project it cannot check: that is a result with status `error` and exit code 3.
 * With `failOnProseRules`, operations whose descriptions state rules the design does not declare fail too.
 */
export async function runCheck(projectDir: string, options: { failOnProseRules?: boolean } = {}): Promise<CheckResult> {
  const project = resolve(projectDir);
  const base = { schemaVersion: 1 as const, toolVersion: await toolVersion(), project };
  try {
    const config = await readProjectConfig(project);
    if (!config) {
      throw new ScaffoldError([
        error('SCF051', `${project} has no ${CONFIG_PATH}: it is not a project scaffold generated`, { file: project }, 'run `scaffold check` inside a generated project, or pass --project <dir>'),
      ]);
    }
    const specPath = resolveFromProject(project, config.spec);
    const guidelinesPath = config.guidelines === undefined ? undefined : resolveFromProject(project, config.guidelines);
    const run = await generate({
      spec: specPath,
      out: project,
      name: config.name,
      models: config.models === undefined ? undefined : resolveFromProject(project, config.models),
      guidelines: guidelinesPath,
      persistence: config.persistence ?? 'infer',
      design: config.design === undefined ? undefined : resolveFromProject(project, config.design),
      allowRemoteRefs: config.allowRemoteRefs === true,
      dryRun: true,
      // Report edited generator-owned files instead of refusing: a dry run writes no backup either.
      force: true,
    });
    const { guidelines } = await loadGuidelinesOption(guidelinesPath);
    const { model } = buildModel(await loadSpec(specPath, { designFolder: config.design === undefined ? undefined : resolveFromProject(project, config.design), allowRemoteRefs: config.allowRemoteRefs === true }), guidelines.apiPrefix);
    const sections = [
      driftSection(run, config.spec),
      await guidelinesSection({
        project,
        guidelines,
        plannedPaths: run.files.map((f) => f.path),
        operationIds: model.resources.flatMap((r) => r.operations.map((o) => o.operationId)),
      }),
      ...(options.failOnProseRules ? [proseRulesSection(run.operationReports, config.spec)] : []),
    ];
    const exitCode = exitCodeOf(sections);
    return { ...base, status: exitCode === 0 ? 'pass' : 'fail', exitCode, sections, ...(run.apiChanges && { apiChanges: run.apiChanges }), diagnostics: run.diagnostics };
  } catch (cause) {
    const diagnostics: Diagnostic[] =
      cause instanceof ScaffoldError ? [...cause.diagnostics] : [error('SCF052', `could not check ${project}: ${cause instanceof Error ? cause.message : String(cause)}`, { file: project })];
    return { ...base, status: 'error', exitCode: 3, sections: [], diagnostics };
  }
}
