import { DEFAULT_GUIDELINES, type Guidelines } from '../load/guidelines-types.js';
import { isDefaultLayout, layoutPath, movedLayerFolders } from './guidelines-layout.js';
import { CIRCULAR_IMPORTS_RULE_FILE } from './lint-view.js';
import type { FileOwner, Plan, PlannedFile } from './types.js';
import type { ProjectView } from './view-model.js';

/** Files the user completes: written once, never rewritten (the generation-gap pattern). */
const USER_OWNED = new Set([
  'src/app.ts',
  'src/controllers/__resource__.controller.ts',
  'src/gateways/__gateway__.http.ts',
  'src/services/__resource__.service.ts',
  'src/middlewares/credential-verifiers.ts',
  'src/models/__entity__.entity.ts',
  'src/models/__value__.value.ts',
  'src/repositories/__repository__.repository.ts',
]);

/**
 * Generator-owned files whose names cannot carry `.gen.`: docs/ARCHITECTURE.md describes the
 * generated structure (ER diagram, DDL, operations and the classes serving them) and is worthless the
 * moment it lags the model, so it is rewritten like the `.gen.ts` files; ARCHITECTURE.md is the name
 * readers look for, and the file says at its top that it is rewritten.
 */
const GENERATOR_OWNED = new Set(['docs/ARCHITECTURE.md']);

/** Placeholders in template paths: the template is written once per item, which it receives under `key`. */
const PLACEHOLDERS: { token: string; key: string; items: (view: ProjectView) => { fileStem: string }[] }[] = [
  { token: '__resource__', key: 'resource', items: (view) => view.resources },
  { token: '__entity__', key: 'entity', items: (view) => view.entities },
  { token: '__value__', key: 'valueObject', items: (view) => view.valueObjects },
  { token: '__repository__', key: 'repository', items: (view) => view.persistence?.repositories ?? [] },
  { token: '__api__', key: 'api', items: (view) => view.apiTests },
  { token: '__gateway__', key: 'gateway', items: (view) => view.gateways },
  { token: '__unitofwork__', key: 'unitOfWork', items: (view) => (view.unitOfWork ? [view.unitOfWork] : []) },
  {
    token: '__sampled__',
    key: 'repository',
    items: (view) => (view.persistence?.repositories ?? []).filter((r) => view.persistence?.samples.some((s) => s.entityClass === r.entityClass)),
  },
];

/** Templates that only make sense with a domain model. */
const DOMAIN_ONLY = /^(src\/models\/|src\/repositories\/|src\/errors\/database-error\.ts$|src\/dto\/mappers\.gen\.ts$|src\/services\/crud-support\.ts$|test\/models\/|test\/repositories\/|test\/api\/|test\/support\/(domain-rules|database|global-setup|samples\.gen|api-client)\.ts$)/;

/** Runtime support of the domain model's policies (and of conditions on rows): only where they are used. */
const CALLER_MODULE = 'src/models/caller.ts';
const CONDITIONS_MODULE = 'src/repositories/access-conditions.ts';
/** The model's reactions and checks across relations: only where it declares some. */
const DOMAIN_RULES_MODULE = 'src/services/domain-rules.gen.ts';
/** Idempotency keys: only where some operation declares the header. */
const IDEMPOTENCY_MODULE = 'src/middlewares/idempotency.ts';
/** Sign-in from the model's declaration: only when declared. */
const SIGN_IN_MODULES: ReadonlySet<string> = new Set(['src/services/sign-in.gen.ts', 'src/utils/password-hash.ts', 'test/api/sign-in.api.gen.ts']);
/** External services: only where the model declares gateways (the per-gateway files have no item otherwise). */
const GATEWAY_MODULES: ReadonlySet<string> = new Set(['src/gateways/gateways.gen.ts', 'src/gateways/http-gateway.ts', 'test/gateways/http-gateway.test.ts']);
/** The audit log's writer: only where an entity is audited. */
const AUDIT_MODULE = 'src/repositories/audit-log.ts';

/** A template file's output path (without `.hbs`) decides who owns the file. */
export function ownerOf(outputPath: string): FileOwner {
  if (/\.gen\.[a-z]+$/.test(outputPath) || GENERATOR_OWNED.has(outputPath)) return 'generator';
  if (USER_OWNED.has(outputPath)) return 'user';
  return 'template';
}

/**
 * Lists every file of the project: one per template, per-resource templates once per resource,
 * plus the spec's types from openapi-typescript.
 */
export function buildPlan(view: ProjectView, templatePaths: readonly string[], extra: PlannedFile[] = [], guidelines: Guidelines = DEFAULT_GUIDELINES): Plan {
  const files: PlannedFile[] = [];
  for (const template of [...templatePaths].sort()) {
    const output = template.replace(/\.hbs$/, '');
    if (DOMAIN_ONLY.test(output) && view.entities.length === 0) continue;
    if (output === CIRCULAR_IMPORTS_RULE_FILE && !view.lint.circularImports) continue;
    if (output === CALLER_MODULE && !view.persistence?.repositories.some((r) => r.access) && view.crud?.mappers.callerImport === undefined) continue;
    if (SIGN_IN_MODULES.has(output) && !view.signIn) continue;
    if (output === CONDITIONS_MODULE && !view.persistence?.repositories.some((r) => r.conditionImports !== '')) continue;
    if (output === DOMAIN_RULES_MODULE && !view.domainRules) continue;
    if (output === IDEMPOTENCY_MODULE && !view.usesIdempotency) continue;
    if (output === AUDIT_MODULE && !view.persistence?.audited) continue;
    if (GATEWAY_MODULES.has(output) && view.gateways.length === 0) continue;
    const placeholder = PLACEHOLDERS.find((p) => output.includes(p.token));
    if (placeholder) {
      for (const item of placeholder.items(view)) {
        files.push({
          id: `${output}#${item.fileStem}`,
          path: output.replaceAll(placeholder.token, item.fileStem),
          owner: ownerOf(output),
          source: { kind: 'template', template, data: { ...view, [placeholder.key]: item } },
        });
      }
    } else {
      files.push({ id: output, path: output, owner: ownerOf(output), source: { kind: 'template', template, data: view } });
    }
  }
  files.push({ id: 'src/dto/openapi.gen.ts', path: 'src/dto/openapi.gen.ts', owner: 'generator', source: { kind: 'openapi-types' } }, ...extra);
  if (isDefaultLayout(guidelines)) return { files: files.sort((a, b) => a.path.localeCompare(b.path)) };
  const placed = files.map((file) => placeByGuidelines(file, guidelines));
  return { files: placed.sort((a, b) => a.path.localeCompare(b.path)), movedFolders: movedLayerFolders(guidelines) };
}

/** The file at the guidelines' place; `defaultPath` remembers where its imports were written from. */
function placeByGuidelines(file: PlannedFile, guidelines: Guidelines): PlannedFile {
  const path = layoutPath(file.path, guidelines);
  return path === file.path ? file : { ...file, path, defaultPath: file.path };
}
