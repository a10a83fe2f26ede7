import { CustomersControllerBase } from './customers.controller.gen.js';

/** HTTP handlers of customers. Override a method to adapt input or output; scaffold never rewrites this file. */
export class CustomersController extends CustomersControllerBase {}
