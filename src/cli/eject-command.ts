import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { TEMPLATES_DIR, toolVersion } from '../engine.js';
import { acceptUpstream, ejectTemplates, templateRows, type TemplateRow } from '../project/eject-templates.js';
import { EJECTED_RECORD, OVERRIDES_DIR } from '../project/ejected-templates.js';
import { UsageError } from './parse-options.js';

export function ejectHelp(): string {
  return [
    'Usage: scaffold eject <pattern> [--force]     copy default templates into the project to customize them',
    '       scaffold eject --list [--json]         show every template, and which ones the project overrides',
    '       scaffold eject --accept <pattern>      record that ejected templates took in their default\'s upstream change',
    '',
    `Templates under ${OVERRIDES_DIR}/ replace the default of the same path on every generation.`,
    'A pattern is a substring of a template path (`controllers`) or a glob (`src/**/*.gen.ts.hbs`);',
    'partials are ejected by their path too (`partials/gen-header.hbs`: the header of generated files).',
    `${EJECTED_RECORD} records the version and hash each one was copied from; when that default changes,`,
    '`scaffold generate` warns (SCF067, with the upstream diff on the first run that sees it) and `--list`',
    'shows the upstream diff. See docs/templates.md.',
    '',
    'Options:',
    `  ${'--project <dir>'.padEnd(22)}the generated project (default: the current directory)`,
    `  ${'--list'.padEnd(22)}list templates, with upstream diffs of ejected ones whose default changed`,
    `  ${'--force'.padEnd(22)}overwrite templates already ejected with the current default`,
    `  ${'--accept'.padEnd(22)}mark the current default as the base of the matching ejected templates`,
    `  ${'--json'.padEnd(22)}with --list: print the list as JSON`,
    `  ${'-h, --help'.padEnd(22)}show this help`,
  ].join('\n');
}

/** `scaffold eject`: exit 0 done, 1 a problem with the project (diagnostics), 2 a wrong command line. ScaffoldError and UsageError propagate to main. */
export async function runEjectCommand(args: string[], print: (text: string) => void): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (cause) {
    throw new UsageError((cause as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    print(ejectHelp());
    return 0;
  }
  const project = resolve(values.project ?? '.');
  const version = await toolVersion();
  const [pattern, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`eject takes one pattern, got ${positionals.length}`);
  if (values.list) {
    if (pattern !== undefined || values.accept || values.force) throw new UsageError('--list takes no pattern and no other option but --json and --project');
    const rows = await templateRows(project, TEMPLATES_DIR, version);
    print(values.json ? JSON.stringify({ toolVersion: version, templates: rows }, null, 2) : formatRows(rows, version));
    return 0;
  }
  if (pattern === undefined) throw new UsageError('name the templates to eject: a path, part of one, or a glob (`scaffold eject --list` shows them)');
  if (values.accept) {
    const accepted = await acceptUpstream(project, TEMPLATES_DIR, version, pattern);
    print(accepted.length === 0 ? 'No matching ejected template has an upstream change.' : `Recorded the defaults of scaffold ${version} as the base of:\n${accepted.map((p) => `  ${p}`).join('\n')}`);
    return 0;
  }
  const result = await ejectTemplates(project, TEMPLATES_DIR, version, pattern, { force: values.force === true });
  print(
    [
      ...(result.ejected.length > 0 ? [`Ejected into ${OVERRIDES_DIR}/ (edit them; every generation uses them):`, ...result.ejected.map((p) => `  ${p}`)] : []),
      ...(result.kept.length > 0 ? ['Already ejected, kept as they are (--force overwrites them with the default):', ...result.kept.map((p) => `  ${p}`)] : []),
    ].join('\n'),
  );
  return 0;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      project: { type: 'string' },
      list: { type: 'boolean' },
      force: { type: 'boolean' },
      accept: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

function formatRows(rows: TemplateRow[], version: string): string {
  const label = (row: TemplateRow) => [row.state, ...(row.modified && row.state === 'ejected' ? ['modified'] : []), ...(row.upstreamChanged ? ['upstream changed'] : [])].join(', ');
  const width = Math.max(...rows.map((row) => label(row).length));
  const ejected = rows.filter((row) => row.state !== 'default');
  const changed = rows.filter((row) => row.upstreamDiff);
  return [
    `Templates of scaffold ${version} (yours under ${OVERRIDES_DIR}/ replace the default of the same path):`,
    ...rows.map((row) => `  ${label(row).padEnd(width)}  ${row.path}${row.ejectedFrom && row.ejectedFrom !== version ? ` (ejected from ${row.ejectedFrom})` : ''}`),
    '',
    `${rows.length} templates: ${ejected.length} overridden by the project, ${ejected.filter((r) => r.modified).length} of them modified, ${changed.length} with an upstream change`,
    ...changed.flatMap((row) => ['', `Upstream change of ${row.path} (merge it into ${OVERRIDES_DIR}/${row.path}, then \`scaffold eject --accept ${row.path}\`):`, row.upstreamDiff!.replace(/\n$/, '')]),
  ].join('\n');
}
