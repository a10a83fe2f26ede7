import type { CheckResult } from './check-result.js';

/** The readable form of a check: one table of every section's rows, then one line per section and the verdict. */
export function formatCheck(result: CheckResult): string {
  if (result.status === 'error') {
    // The diagnostics themselves go to stderr (check-command.ts).
    const codes = result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    return `Could not check ${result.project} (${[...new Set(codes)].join(', ')})\nResult: could not check (exit 3)`;
  }
  const header = ['Section', 'Check', 'Status', 'File', 'Detail'];
  const rows = result.sections.flatMap((section) => section.results.map((row) => [section.name, row.check, row.status, row.file === undefined ? '-' : row.line === undefined ? row.file : `${row.file}:${row.line}`, row.detail]));
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  // The last column is not padded: no trailing spaces.
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ');
  const verdict = {
    0: 'Result: all checks pass (exit 0)',
    1: 'Result: drift (exit 1): `scaffold generate` brings the project up to date (move the change out of an edited generator-owned file first, or pass --force)',
    2: 'Result: guideline violations (exit 2)',
    3: 'Result: could not check (exit 3)',
    4: 'Result: rules in prose not implemented (exit 4): declare them in the design (or implement them by hand and drop --fail-on-prose-rules)',
  }[result.exitCode];
  return [
    `Checked ${result.project}`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    ...result.sections.map((s) => `${s.name}: ${s.status} (${s.results.filter((r) => r.status === 'fail').length} failing of ${s.results.length} rows)`),
    verdict,
  ].join('\n');
}
