import { desc, eq } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createRepositories, type Repositories } from '../../src/repositories/repositories.gen.js';
import { auditLog } from '../../src/repositories/schema.gen.js';
import { ContractClient, type ContractRequest, type TestCaller } from './contract-client.js';

/** A JSON body as the API tests read it (the spec's schemas have already checked it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface ApiRequest {
  url: string;
  query?: ContractRequest['query'];
  headers?: ContractRequest['headers'];
  body?: unknown;
  /** The body's media type; `application/json` unless given. */
  mediaType?: string;
  /** Who sends it, to try the domain model's policies (else a caller holding every role they name). */
  as?: TestCaller;
}

/**
 * Drives the app through in-process HTTP as a client would (with test credentials, on the test
 * database): every answer must have the status a test expects and conform to the spec.
 * `repositories` reach the same database, to prepare what a test needs.
 */
export class ApiClient {
  private constructor(
    private readonly contract: ContractClient,
    readonly repositories: Repositories,
  ) {}

  static async start(): Promise<ApiClient> {
    const contract = await ContractClient.start();
    return new ApiClient(contract, createRepositories(contract.database.db));
  }

  close(): Promise<void> {
    return this.contract.close();
  }

  /** The external services the app calls (its development fakes): `vi.spyOn` one to choose its answer. */
  get gateways() {
    return this.contract.gateways;
  }

  /** The audit records of an audited entity (src/repositories/audit-log.ts), newest first. */
  auditRecords(entity: string) {
    return this.contract.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.entity, entity))
      .orderBy(desc(auditLog.at));
  }

  /** Sends an operation's request; the answer must have `status` and conform to the spec. */
  async send(status: number, operationId: string, request: ApiRequest): Promise<LightMyRequestResponse> {
    const response = await this.dispatch(operationId, request);
    expect(response.statusCode, `${operationId} answered ${response.statusCode} ${response.body.slice(0, 500)}`).toBe(
      status,
    );
    this.contract.expectConforming(operationId, response);
    return response;
  }

  /** Sends an operation's request whose status the test checks itself (requests sent at once); the answer must conform to the spec. */
  async attempt(operationId: string, request: ApiRequest): Promise<LightMyRequestResponse> {
    const response = await this.dispatch(operationId, request);
    this.contract.expectConforming(operationId, response);
    return response;
  }

  /** As `send`, returning the JSON body (undefined when there is none). */
  async call(status: number, operationId: string, request: ApiRequest): Promise<Json> {
    const response = await this.send(status, operationId, request);
    return response.body === '' ? undefined : response.json();
  }

  /**
   * Every item of a list, page by page (`size` items a page): by page number or offset until a page
   * comes back short, by cursor until a response gives no next cursor.
   */
  async collect(
    status: number,
    operationId: string,
    request: ApiRequest,
    paging: Paging,
    size: number,
    items: (body: Json) => Json[],
  ): Promise<Json[]> {
    const collected: Json[] = [];
    let cursor: string | undefined;
    for (let index = 0; index < 1000; index += 1) {
      const query =
        'page' in paging
          ? { [paging.page]: String(index + 1), [paging.size]: String(size) }
          : 'offset' in paging
            ? { [paging.offset]: String(index * size), [paging.limit]: String(size) }
            : { [paging.limit]: String(size), ...(cursor !== undefined && { [paging.cursor]: cursor }) };
      const body = await this.call(status, operationId, { ...request, query: { ...request.query, ...query } });
      const page = items(body);
      collected.push(...page);
      if ('next' in paging) {
        const next: unknown = paging.next(body);
        if (typeof next !== 'string') return collected;
        cursor = next;
      } else if (page.length < size) {
        return collected;
      }
    }
    throw new Error(`${operationId} did not reach its last page`);
  }

  private dispatch(operationId: string, request: ApiRequest): Promise<LightMyRequestResponse> {
    return this.contract.send(
      operationId,
      {
        url: request.url,
        query: request.query ?? {},
        headers: request.headers ?? {},
        ...(request.body !== undefined && {
          body: { mediaType: request.mediaType ?? 'application/json', value: request.body },
        }),
      },
      { ...(request.as && { caller: request.as }) },
    );
  }
}

/** How a list pages: the query parameters, and for a cursor where a response gives the next one. */
export type Paging =
  | { page: string; size: string }
  | { offset: string; limit: string }
  | { cursor: string; limit: string; next: (body: Json) => unknown };

/** Whether a service class overrides one of these methods: the generated tests of the method then no longer apply. */
export function overridden(service: { prototype: object }, ...methods: string[]): boolean {
  return methods.some((method) => Object.prototype.hasOwnProperty.call(service.prototype, method));
}
