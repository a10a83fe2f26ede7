import type { FastifyRequest } from 'fastify';
import type { ValidateFunction } from 'ajv';
import type { ParameterSpec } from '../controllers/operation-route.js';
import { ValidationError } from '../errors/index.js';
import { validationErrorOf } from '../utils/validation-issues.js';

/**
 * Parameters arrive as strings serialized per their OpenAPI `style` and `explode`. This turns them
 * into the arrays and objects their schemas describe, before validation coerces the leaves to their
 * declared types. Path parameters also get their spec names back (the router needs safe names).
 */
export function decodeParameters(
  request: FastifyRequest,
  parameters: readonly ParameterSpec[],
  validateCookies: ValidateFunction | undefined,
): void {
  const rawParams = request.params as Record<string, string | undefined>;
  const params: Record<string, unknown> = {};
  const query = { ...(request.query as Record<string, string | string[] | undefined>) };
  const headers = request.headers as Record<string, string | string[] | undefined>;
  const cookieJar = parseCookies(typeof headers.cookie === 'string' ? headers.cookie : '');
  const cookies: Record<string, unknown> = {};
  const claimedQueryKeys = new Set(parameters.filter((p) => p.in === 'query').map((p) => p.name));

  for (const parameter of parameters) {
    switch (parameter.in) {
      case 'path': {
        const raw = rawParams[parameter.routeName];
        if (raw !== undefined) params[parameter.name] = decodeSimple(stripPrefix(raw, parameter), parameter);
        break;
      }
      case 'query': {
        const value = decodeQuery(query, parameter, claimedQueryKeys);
        if (value !== undefined) query[parameter.name] = value as string;
        break;
      }
      case 'header': {
        const key = parameter.name.toLowerCase();
        const raw = headers[key];
        if (raw !== undefined)
          headers[key] = decodeSimple(Array.isArray(raw) ? raw.join(',') : raw, parameter) as string;
        break;
      }
      case 'cookie': {
        const raw = cookieJar.get(parameter.name);
        if (raw !== undefined) cookies[parameter.name] = decodeForm(raw, parameter);
        break;
      }
    }
  }

  request.params = params;
  request.query = query;
  if (validateCookies && !validateCookies(cookies)) throw validationErrorOf('cookie', validateCookies.errors ?? []);
  request.cookieParameters = cookies;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Cookie parameters the operation declares, decoded and validated. */
    cookieParameters: Record<string, unknown>;
  }
}

function decodeQuery(
  query: Record<string, string | string[] | undefined>,
  parameter: ParameterSpec,
  claimed: Set<string>,
): unknown {
  if (parameter.style === 'deepObject') {
    const prefix = `${parameter.name}[`;
    const object: Record<string, unknown> = {};
    for (const key of Object.keys(query)) {
      if (!key.startsWith(prefix) || !key.endsWith(']')) continue;
      object[key.slice(prefix.length, -1)] = query[key];
      delete query[key];
    }
    return Object.keys(object).length > 0 ? object : undefined;
  }
  if (parameter.shape === 'object' && parameter.explode) {
    // form + explode: the object's properties are query keys of their own.
    const object: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(query)) if (!claimed.has(key)) object[key] = value;
    return Object.keys(object).length > 0 ? object : undefined;
  }
  const raw = query[parameter.name];
  if (raw === undefined) return undefined;
  if (parameter.shape === 'json') return parseJson(single(raw, parameter), parameter);
  if (parameter.shape === 'array') {
    const values = Array.isArray(raw) ? raw : [raw];
    const separator =
      { spaceDelimited: ' ', pipeDelimited: '|' }[parameter.style as string] ?? (parameter.explode ? undefined : ',');
    return separator === undefined ? values : values.flatMap((value) => value.split(separator));
  }
  if (parameter.shape === 'object') return pairsToObject(single(raw, parameter).split(','));
  return single(raw, parameter);
}

/** `simple` (path, header): `a,b,c` arrays; `k,v,k2,v2` objects, or `k=v,k2=v2` when exploded. */
function decodeSimple(raw: string, parameter: ParameterSpec): unknown {
  if (parameter.shape === 'json') return parseJson(raw, parameter);
  if (parameter.shape === 'array')
    return raw === '' ? [] : raw.split(parameter.style === 'label' && parameter.explode ? '.' : ',');
  if (parameter.shape === 'object') {
    const parts = raw.split(',');
    return parameter.explode ? Object.fromEntries(parts.map((part) => splitOnce(part, '='))) : pairsToObject(parts);
  }
  return raw;
}

/** `form` (cookies): like query values, comma-separated when not exploded. */
function decodeForm(raw: string, parameter: ParameterSpec): unknown {
  if (parameter.shape === 'json') return parseJson(raw, parameter);
  if (parameter.shape === 'array') return raw.split(',');
  if (parameter.shape === 'object') return pairsToObject(raw.split(','));
  return raw;
}

/** `label` (`.5`) and `matrix` (`;id=5`) path styles carry a prefix before the value. */
function stripPrefix(raw: string, parameter: ParameterSpec): string {
  if (parameter.style === 'label') return raw.replace(/^\./, '');
  if (parameter.style === 'matrix') return raw.replace(new RegExp(`^;${escapeRegExp(parameter.name)}=`), '');
  return raw;
}

function parseJson(raw: string, parameter: ParameterSpec): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ValidationError(`Parameter "${parameter.name}" must be JSON`, [
      { location: `/${parameter.in}/${parameter.name}`, message: 'must be valid JSON' },
    ]);
  }
}

function pairsToObject(parts: string[]): Record<string, string> {
  const object: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) object[parts[i] as string] = parts[i + 1] as string;
  return object;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/** A parameter that holds one value may not be sent twice: which one was meant is anyone's guess. */
function single(raw: string | string[], parameter: ParameterSpec): string {
  if (!Array.isArray(raw)) return raw;
  if (raw.length === 1) return raw[0] ?? '';
  throw new ValidationError(`Parameter "${parameter.name}" was given ${raw.length} times`, [
    { location: `/${parameter.in}/${parameter.name}`, message: 'must be given once' },
  ]);
}

function parseCookies(header: string): Map<string, string> {
  const jar = new Map<string, string>();
  for (const part of header.split(';')) {
    const [name, value] = splitOnce(part.trim(), '=');
    if (name === '' || jar.has(name)) continue;
    try {
      jar.set(name, decodeURIComponent(value));
    } catch {
      jar.set(name, value);
    }
  }
  return jar;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
