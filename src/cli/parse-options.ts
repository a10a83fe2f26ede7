import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GENERATE_OPTIONS, type GenerateOptionName, type OptionSpec } from '../options/options-schema.js';

export class UsageError extends Error {}

export type ParsedFlags = Partial<Record<GenerateOptionName, string | boolean>> & { help?: boolean };

/** Flags for `scaffold generate`, straight from the options schema. */
export function parseGenerateFlags(args: string[]): ParsedFlags {
  const options: NonNullable<ParseArgsConfig['options']> = { help: { type: 'boolean', short: 'h' } };
  const byFlag = new Map<string, GenerateOptionName>();
  for (const [name, spec] of Object.entries(GENERATE_OPTIONS) as [GenerateOptionName, OptionSpec][]) {
    options[spec.flag] = { type: spec.type, ...(spec.short !== undefined && { short: spec.short }) };
    byFlag.set(spec.flag, name);
  }
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    ({ values } = parseArgs({ args, options, allowPositionals: false, strict: true }));
  } catch (cause) {
    throw new UsageError((cause as Error).message);
  }
  const parsed: ParsedFlags = {};
  for (const [flag, value] of Object.entries(values)) {
    if (flag === 'help') parsed.help = value === true;
    const name = byFlag.get(flag);
    if (name !== undefined && (typeof value === 'string' || typeof value === 'boolean')) parsed[name] = value;
  }
  return parsed;
}

export function generateHelp(): string {
  const lefts = (Object.values(GENERATE_OPTIONS) as OptionSpec[]).map((spec) => [`${spec.short ? `-${spec.short}, ` : ''}--${spec.flag}${spec.valueName ? ` ${spec.valueName}` : ''}`, spec.description] as const);
  const width = Math.max(...lefts.map(([left]) => left.length)) + 2;
  const rows = lefts.map(([left, description]) => `  ${left.padEnd(width)}${description}`);
  return [
    'Usage: scaffold generate --spec <file> --out <dir> [options]',
    '',
    'Generates a layered Fastify backend from an OpenAPI 3.0/3.1 document. Inside a generated',
    'project, `scaffold generate` with no flags regenerates from .scaffold/config.json. In a',
    'terminal, `scaffold` (or `scaffold generate` with options missing) asks for what is missing;',
    'without one (CI) it asks nothing and names what is missing.',
    '',
    'Options:',
    ...rows,
    `  ${'-h, --help'.padEnd(width)}show this help`,
  ].join('\n');
}
