import { CHARGE_OUTCOMES, type ChargeInput, type ChargeResult, type PaymentGateway } from './payment-gateway.gen.js';

/**
 * Stands in for PaymentGateway where PAYMENT_GATEWAY_URL is unset (development and tests;
 * production refuses to start without the URL). It answers the first outcome, or the one a string
 * input names at its end (`tok_declined` answers `declined`, `tok_unavailable` answers `unavailable`),
 * so every path can be tried without the service.
 */
export class FakePaymentGateway implements PaymentGateway {
  async charge(input: ChargeInput): Promise<ChargeResult> {
    const named = Object.values(input)
      .filter((value): value is string => typeof value === 'string')
      .flatMap((value) =>
        [...CHARGE_OUTCOMES, 'unavailable' as const].filter((outcome) => value.endsWith(`_${outcome}`)),
      );
    const outcome = named[0] ?? 'succeeded';
    return outcome === 'succeeded' ? { outcome } : { outcome, reason: `fake_${outcome}` };
  }
}
