import openapiTS, { astToString } from 'openapi-typescript';

/** The spec's types (`paths`, `components`, `operations`), from openapi-typescript. */
export async function generateOpenApiTypes(document: unknown, header: string): Promise<string> {
  const ast = await openapiTS(document as Parameters<typeof openapiTS>[0], { alphabetize: false, silent: true });
  return `${header}\n${astToString(ast)}`;
}
