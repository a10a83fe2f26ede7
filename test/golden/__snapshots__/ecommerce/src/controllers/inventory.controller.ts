import { InventoryControllerBase } from './inventory.controller.gen.js';

/** HTTP handlers of inventory. Override a method to adapt input or output; scaffold never rewrites this file. */
export class InventoryController extends InventoryControllerBase {}
