import { ValidationError, type ValidationIssue } from '../errors/index.js';

/** A part of the request, named as the spec's `in` names it. */
export type RequestPart = 'body' | 'query' | 'path' | 'header' | 'cookie';

/** Fastify names the parts it validates `querystring`, `params` and `headers`. */
const PART_OF_FASTIFY_CONTEXT: Readonly<Record<string, RequestPart>> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'header',
};

export function requestPartOf(fastifyContext: string | undefined): RequestPart {
  return PART_OF_FASTIFY_CONTEXT[fastifyContext ?? 'body'] ?? 'body';
}

/** What Ajv (directly, or through Fastify) says about one keyword a value failed. */
export interface SchemaIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Enough to fix a request in one go; past this, one last entry says how many more there were. */
const MAX_LISTED = 20;
/** How many of them the error's one-line message quotes. */
const MAX_IN_MESSAGE = 3;

/** Every problem Ajv found in one part of the request, each at its JSON pointer (`/body/title`). */
export function validationErrorOf(part: RequestPart, schemaIssues: readonly SchemaIssue[]): ValidationError {
  const seen = new Set<string>();
  const all: ValidationIssue[] = [];
  for (const schemaIssue of schemaIssues) {
    const issue = describe(part, schemaIssue);
    const key = `${issue.location}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    all.push(issue);
  }
  const listed = all.slice(0, MAX_LISTED);
  if (all.length > MAX_LISTED) {
    listed.push({ location: `/${part}`, message: `${all.length - MAX_LISTED} more problems not listed` });
  }
  const quoted = all.slice(0, MAX_IN_MESSAGE).map((issue) => `${issue.location} ${issue.message}`);
  const rest = all.length > MAX_IN_MESSAGE ? ` (and ${all.length - MAX_IN_MESSAGE} more)` : '';
  return new ValidationError(`Invalid ${part}: ${quoted.join('; ')}${rest}`, listed);
}

/** Problems about a property (missing, not allowed) are located at that property, not at its parent. */
function describe(part: RequestPart, issue: SchemaIssue): ValidationIssue {
  const at = (property: unknown): string => `/${part}${issue.instancePath}/${escapePointer(String(property))}`;
  const { params } = issue;
  switch (issue.keyword) {
    case 'required':
      return { location: at(params.missingProperty), message: 'is required' };
    case 'dependentRequired':
    case 'dependencies':
      return {
        location: at(params.missingProperty),
        message: `is required when "${String(params.property)}" is present`,
      };
    case 'additionalProperties':
      return {
        location: at(params.additionalProperty),
        message: 'is not allowed: the schema declares no such property',
      };
    case 'unevaluatedProperties':
      return {
        location: at(params.unevaluatedProperty),
        message: 'is not allowed: the schema declares no such property',
      };
    case 'propertyNames':
      return { location: at(params.propertyName), message: 'is not an allowed property name' };
    case 'false schema':
      return { location: `/${part}${issue.instancePath}`, message: 'is read-only and must not be sent' };
    default:
      return { location: `/${part}${issue.instancePath}`, message: issue.message ?? 'is invalid' };
  }
}

/** A property name as a JSON pointer segment (RFC 6901). */
function escapePointer(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}
