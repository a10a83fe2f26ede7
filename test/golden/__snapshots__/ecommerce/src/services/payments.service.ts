import { PaymentsServiceBase } from './payments.service.gen.js';

/**
 * Business logic of payments. Override the methods of PaymentsServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class PaymentsService extends PaymentsServiceBase {}
