export * from './app-error.js';
export { statusOf } from './error-status.js';
