import { stringLiteral } from '../model/naming.js';
import type { MediaBody, Operation, Parameter } from '../model/types.js';
import { successesOf, type SuccessView } from './route-entry.js';

/**
 * TypeScript type expressions for an operation's Input and Result, written against the types
 * openapi-typescript generates (`paths[...]`), so they follow the spec exactly.
 */
export interface OperationTypes {
  /** `paths["/pet/{petId}"]["get"]` */
  operationRef: string;
  params: string;
  query: string;
  headers: string;
  cookies: string;
  body: string;
  result: string;
}

export function operationTypes(operation: Operation, alias: string): OperationTypes {
  const partOf = (location: Parameter['in'], key: string): string =>
    operation.parameters.some((p) => p.in === location) ? `NonNullable<${alias}['parameters']['${key}']>` : 'Empty';
  return {
    operationRef: `paths[${stringLiteral(operation.path)}][${stringLiteral(operation.method)}]`,
    params: partOf('path', 'path'),
    query: partOf('query', 'query'),
    headers: partOf('header', 'header'),
    cookies: partOf('cookie', 'cookie'),
    body: bodyType(operation, alias),
    result: resultType(operation, alias),
  };
}

function bodyType(operation: Operation, alias: string): string {
  const body = operation.requestBody;
  if (!body) return 'undefined';
  const content = `NonNullable<${alias}['requestBody']>['content']`;
  const parts = new Set<string>();
  for (const media of body.contents) {
    if (media.kind === 'text') parts.add('string');
    else if (media.kind === 'binary') parts.add('Buffer');
    else parts.add(`Writable<${content}[${stringLiteral(media.mediaType)}]>`);
  }
  if (!body.required) parts.add('undefined');
  return [...parts].join(' | ');
}

function resultType(operation: Operation, alias: string): string {
  const successes = successesOf(operation);
  if (successes.length === 0) return 'void';
  if (successes.length === 1) return successBody(successes[0] as SuccessView, alias);
  return successes.map((s) => `{ status: ${s.status}; body: ${successBody(s, alias)} }`).join(' | ');
}

function successBody(success: SuccessView, alias: string): string {
  const { contents, envelope } = success.response;
  if (contents.length === 0) return 'void';
  const key = /^\d+$/.test(success.specKey) ? success.specKey : stringLiteral(success.specKey);
  const json = contents.find((c) => c.kind === 'json');
  if (json) {
    const type = `Readable<${alias}['responses'][${key}]['content'][${stringLiteral(json.mediaType)}]>`;
    return envelope ? `Enveloped<${type}>` : type;
  }
  return rawBodyType(contents);
}

function rawBodyType(contents: MediaBody[]): string {
  const kinds = new Set(contents.map((c) => c.kind));
  const parts: string[] = [];
  if (kinds.has('text') || kinds.has('form') || kinds.has('multipart')) parts.push('string');
  if (kinds.has('binary')) parts.push('BinaryBody');
  return parts.join(' | ') || 'void';
}
