import { StoreControllerBase } from './store.controller.gen.js';

/** HTTP handlers of store. Override a method to adapt input or output; scaffold never rewrites this file. */
export class StoreController extends StoreControllerBase {}
