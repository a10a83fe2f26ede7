import { AddressBase } from './address.value.gen.js';

/** A postal address. Behaviour goes here; scaffold never rewrites this file. */
export class Address extends AddressBase {}
