import { CustomersServiceBase } from './customers.service.gen.js';

/**
 * Business logic of customers. Override the methods of CustomersServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class CustomersService extends CustomersServiceBase {}
