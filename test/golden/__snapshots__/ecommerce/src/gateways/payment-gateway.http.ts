import type { FastifyBaseLogger } from 'fastify';
import type { GatewaySettings } from '../config/env.js';
import { HttpGatewayClient } from './http-gateway.js';
import { CHARGE_OUTCOMES, type ChargeInput, type ChargeResult, type PaymentGateway } from './payment-gateway.gen.js';

/**
 * PaymentGateway over HTTP: each operation POSTs its input as JSON to PAYMENT_GATEWAY_URL
 * plus the operation's name and expects `{ "outcome": ..., "reason": ... }` back, with the timeout,
 * retries and circuit breaker of src/gateways/http-gateway.ts. This file is yours and scaffold never
 * rewrites it: translate here between the port and your provider's API.
 */
export class HttpPaymentGateway implements PaymentGateway {
  private readonly client: HttpGatewayClient;

  constructor(settings: GatewaySettings & { readonly url: string }, log: FastifyBaseLogger) {
    this.client = new HttpGatewayClient('PaymentGateway', settings, log, 'payment_gateway_unavailable');
  }

  charge(input: ChargeInput): Promise<ChargeResult> {
    return this.client.post('charge', input, CHARGE_OUTCOMES);
  }
}
