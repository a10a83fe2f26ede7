import tseslint from 'typescript-eslint';
import noCircularImports from './eslint/no-circular-imports.js';

/**
 * `npm run lint`: the project's layer rules, the same `scaffold check` verifies. Controllers go through
 * services and never import a repository; models import no framework code; no module imports itself
 * back through others. Add your own rules below (`...tseslint.configs.recommended`, say).
 */
export default [
  { ignores: ['dist/', 'coverage/', 'node_modules/'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    // Registered so that the generated code's eslint-disable comments name known rules.
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
  },
  {
    files: ['src/controllers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)repositories/', message: 'Controllers go through services: never import a repository.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/models/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'fastify',
                '@fastify/*',
                'fastify-*',
                'drizzle-orm',
                'drizzle-orm/*',
                'drizzle-kit',
                'pg',
                'pg/*',
                'postgres',
                '@electric-sql/pglite',
                '@electric-sql/pglite/*',
              ],
              message: 'Models import no framework code (web server, database).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { guidelines: { rules: { 'no-circular-imports': noCircularImports } } },
    rules: { 'guidelines/no-circular-imports': 'error' },
  },
];
