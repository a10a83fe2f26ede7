import { MoneyBase } from './money.value.gen.js';

/** An amount in minor units (cents) of one currency. Behaviour goes here; scaffold never rewrites this file. */
export class Money extends MoneyBase {}
