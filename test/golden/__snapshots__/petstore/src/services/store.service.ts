import { StoreServiceBase } from './store.service.gen.js';

/**
 * Business logic of store. Override the methods of StoreServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class StoreService extends StoreServiceBase {}
