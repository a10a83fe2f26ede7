import { OrdersControllerBase } from './orders.controller.gen.js';

/** HTTP handlers of orders. Override a method to adapt input or output; scaffold never rewrites this file. */
export class OrdersController extends OrdersControllerBase {}
