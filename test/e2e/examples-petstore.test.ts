import { describeExample } from './example-end-to-end.js';

describeExample('petstore');
