import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import type { CheckResult } from './check-result.js';
import { formatCheck } from './format-check.js';
import { runCheck } from './run-check.js';

export function checkHelp(): string {
  return [
    'Usage: scaffold check [--project <dir>] [--json] [--fail-on-prose-rules]',
    '',
    'The CI command of a generated project. Runs the generation its .scaffold/config.json describes as a',
    'dry run (it writes nothing) and reports, section by section, what is not in step:',
    '  drift       generated files behind the spec/models, generator-owned files edited by hand,',
    '              migrations the domain model implies, API changes since the last generation',
    '  guidelines  the project against its conventions (docs/guidelines.md): layer folders, file',
    '              names and suffixes, controllers never import repositories, models import no',
    '              framework code, no import cycles, every operation has a route handler',
    '  prose-rules with --fail-on-prose-rules: operations whose descriptions state rules (admin only,',
    '              their own, a state, an error code...) the design does not declare',
    '',
    'Options:',
    `  ${'--project <dir>'.padEnd(22)}the project to check (default: the current directory)`,
    `  ${'--json'.padEnd(22)}print the result as JSON (schemas/check-result.schema.json, docs/check.md)`,
    `  ${'--fail-on-prose-rules'.padEnd(22)}fail on rules stated in prose and not declared (.scaffold/report.md lists them)`,
    `  ${'-h, --help'.padEnd(22)}show this help`,
    '',
    'Exit codes: 0 all checks pass, 1 drift, 2 guideline violations, 3 could not check,',
    '4 rules in prose not implemented (with --fail-on-prose-rules).',
  ].join('\n');
}

/** `scaffold check`: parses its flags, runs the check, prints a table or JSON, returns the exit code. */
export async function runCheckCommand(args: string[], print: (text: string) => void, printError: (text: string) => void): Promise<number> {
  let values: { project?: string; json?: boolean; 'fail-on-prose-rules'?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { project: { type: 'string' }, json: { type: 'boolean' }, 'fail-on-prose-rules': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (cause) {
    // Exit 2 belongs to guideline violations: a wrong command line is a check that could not run.
    printError(`scaffold: ${(cause as Error).message}\n`);
    printError(checkHelp());
    return 3;
  }
  if (values.help) {
    print(checkHelp());
    return 0;
  }
  const result: CheckResult = await runCheck(values.project ?? '.', { failOnProseRules: values['fail-on-prose-rules'] === true });
  if (result.status === 'error') for (const diagnostic of result.diagnostics) printError(formatDiagnostic(diagnostic));
  print(values.json ? JSON.stringify(result, null, 2) : formatCheck(result));
  return result.exitCode;
}
