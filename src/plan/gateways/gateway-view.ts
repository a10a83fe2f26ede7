/**
 * The external services of the model (`gateways`), as the project's src/gateways/ needs them: per
 * gateway a port in the domain's terms (`<name>.gen.ts`), an HTTP adapter with a timeout, retries and a
 * circuit breaker (`<name>.http.ts`), a development fake (`<name>.fake.ts`), and one module choosing
 * between them by configuration (`gateways.gen.ts`).
 */
import type { DomainModel, Gateway } from '../../model/domain/types.js';
import { commentText, pascalCase, stringLiteral } from '../../model/naming.js';
import { UNAVAILABLE } from '../../model/domain/gateways.js';

export interface GatewayOperationView {
  method: string;
  /** Appended to the gateway's URL by the HTTP adapter (`charge`). */
  pathLiteral: string;
  doc: string;
  inputType: string;
  resultType: string;
  outcomeType: string;
  /** `'succeeded' | 'declined' | 'unavailable'`. */
  outcomeUnion: string;
  /** The declared outcomes as an array literal (what the service itself may answer). */
  outcomesLiteral: string;
  /** The constant holding them (`CHARGE_OUTCOMES`). */
  outcomesConstant: string;
  /** The outcome the fake answers unless told otherwise (the first declared). */
  defaultOutcomeLiteral: string;
  inputFields: { name: string; type: string }[];
}

export interface GatewayView {
  fileStem: string;
  interfaceName: string;
  property: string;
  httpClass: string;
  fakeClass: string;
  doc: string;
  nameLiteral: string;
  envPrefix: string;
  /** What the service answers when it cannot be reached (`payment_gateway_unavailable`), stored as the reason. */
  unavailableReasonLiteral: string;
  operations: GatewayOperationView[];
}

const TYPES: Record<Gateway['operations'][number]['input'][number]['type'], string> = { integer: 'number', number: 'number', string: 'string', boolean: 'boolean' };

/** The views of the model's gateways; empty without a model or gateways. */
export function buildGatewayViews(domain: DomainModel | undefined): GatewayView[] {
  return (domain?.gateways ?? []).map((gateway) => ({
    fileStem: gateway.names.kebab,
    interfaceName: gateway.names.pascal,
    property: gateway.names.camel,
    httpClass: `Http${gateway.names.pascal}`,
    fakeClass: `Fake${gateway.names.pascal}`,
    doc: commentText(gateway.description || `The external service ${gateway.names.original}.`),
    nameLiteral: stringLiteral(gateway.names.original),
    envPrefix: gateway.envPrefix,
    unavailableReasonLiteral: stringLiteral(`${gateway.envPrefix.toLowerCase()}_${UNAVAILABLE}`),
    operations: gateway.operations.map((operation) => {
      const pascal = pascalCase(operation.names.original, 'Operation');
      return {
        method: operation.names.camel,
        pathLiteral: stringLiteral(operation.names.kebab),
        doc: commentText(operation.description || `${gateway.names.original}.${operation.names.original}`),
        inputType: `${pascal}Input`,
        resultType: `${pascal}Result`,
        outcomeType: `${pascal}Outcome`,
        outcomeUnion: [...operation.outcomes, UNAVAILABLE].map(stringLiteral).join(' | '),
        outcomesLiteral: `[${operation.outcomes.map(stringLiteral).join(', ')}]`,
        outcomesConstant: `${operation.names.kebab.replaceAll('-', '_').toUpperCase()}_OUTCOMES`,
        defaultOutcomeLiteral: stringLiteral(operation.outcomes[0] as string),
        inputFields: operation.input.map((input) => ({ name: input.names.camel, type: TYPES[input.type] })),
      };
    }),
  }));
}
