import { PaymentsControllerBase } from './payments.controller.gen.js';

/** HTTP handlers of payments. Override a method to adapt input or output; scaffold never rewrites this file. */
export class PaymentsController extends PaymentsControllerBase {}
