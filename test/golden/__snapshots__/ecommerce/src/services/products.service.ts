import { ProductsServiceBase } from './products.service.gen.js';

/**
 * Business logic of products. Override the methods of ProductsServiceBase here;
 * scaffold never rewrites this file, and a spec change that alters a signature shows up as a type error.
 */
export class ProductsService extends ProductsServiceBase {}
