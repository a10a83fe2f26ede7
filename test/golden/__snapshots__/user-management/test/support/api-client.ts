import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createRepositories, type Repositories } from '../../src/repositories/repositories.gen.js';
import { ContractClient, type ContractRequest } from './contract-client.js';

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

  /** Sends an operation's request; the answer must have `status` and conform to the spec. */
  async send(status: number, operationId: string, request: ApiRequest): Promise<LightMyRequestResponse> {
    const response = await this.contract.send(operationId, {
      url: request.url,
      query: request.query ?? {},
      headers: request.headers ?? {},
      ...(request.body !== undefined && {
        body: { mediaType: request.mediaType ?? 'application/json', value: request.body },
      }),
    });
    expect(response.statusCode, `${operationId} answered ${response.statusCode} ${response.body.slice(0, 500)}`).toBe(
      status,
    );
    this.contract.expectConforming(operationId, response);
    return response;
  }

  /** As `send`, returning the JSON body (undefined when there is none). */
  async call(status: number, operationId: string, request: ApiRequest): Promise<Json> {
    const response = await this.send(status, operationId, request);
    return response.body === '' ? undefined : response.json();
  }

  /** Every item of a list, page by page (`size` items a page) until a page comes back short. */
  async collect(
    status: number,
    operationId: string,
    request: ApiRequest,
    paging: { page: string; size: string } | { offset: string; limit: string },
    size: number,
    enveloped: boolean,
  ): Promise<Json[]> {
    const items: Json[] = [];
    for (let index = 0; index < 1000; index += 1) {
      const query =
        'page' in paging
          ? { [paging.page]: String(index + 1), [paging.size]: String(size) }
          : { [paging.offset]: String(index * size), [paging.limit]: String(size) };
      const body = await this.call(status, operationId, { ...request, query: { ...request.query, ...query } });
      const page: Json[] = enveloped ? body.data : body;
      items.push(...page);
      if (page.length < size) return items;
    }
    throw new Error(`${operationId} did not reach its last page`);
  }
}

/** Whether a service class overrides one of these methods: the generated tests of the method then no longer apply. */
export function overridden(service: { prototype: object }, ...methods: string[]): boolean {
  return methods.some((method) => Object.prototype.hasOwnProperty.call(service.prototype, method));
}
