import { OrdersServiceBase } from './orders.service.gen.js';

/**
 * Business logic of orders. Override the methods of OrdersServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class OrdersService extends OrdersServiceBase {}
