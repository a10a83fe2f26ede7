import { ProductsControllerBase } from './products.controller.gen.js';

/** HTTP handlers of products. Override a method to adapt input or output; scaffold never rewrites this file. */
export class ProductsController extends ProductsControllerBase {}
