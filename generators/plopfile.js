// scaffold's own generators, run by `scaffold add <name>` (docs/add.md). A plain plopfile: the
// prompts are declared here (each one is also a flag: `name` -> --name, `operationId` -> --operation-id)
// and scaffold asks them with its own prompts; the design edits and the regeneration are the action
// types `scaffold:*`, which scaffold registers before running a generator.

const identifier = /^[A-Za-z][A-Za-z0-9_-]*$/;
const isName = (value) => identifier.test(value) || 'letters, digits, - and _, starting with a letter';

/** @param {import('node-plop').NodePlopAPI} plop @param {{ scaffold: ScaffoldContext }} config */
export default function scaffoldGenerators(plop, { scaffold }) {
  plop.setGenerator('resource', {
    description: 'an entity and its CRUD endpoints: edits the spec and the domain model, then regenerates',
    prompts: [
      { type: 'input', name: 'name', message: 'Resource name, plural as in its URL (reviews)', validate: isName },
      { type: 'input', name: 'fields', message: 'Fields: name:type, ? when optional (rating:integer,comment:text?)', validate: (value) => value.trim() !== '' || 'at least one field' },
    ],
    actions: [{ type: 'scaffold:resource' }],
  });

  plop.setGenerator('endpoint', {
    description: 'one operation on an existing resource: edits the spec, then regenerates',
    prompts: [
      { type: 'list', name: 'resource', message: 'Resource', choices: () => scaffold.resources() },
      { type: 'list', name: 'method', message: 'HTTP method', choices: ['get', 'post', 'put', 'patch', 'delete'], default: 'get' },
      { type: 'input', name: 'path', message: 'Path (/products/{id}/summary)', validate: (value) => value.startsWith('/') || 'a path starts with /' },
      { type: 'input', name: 'operationId', message: 'operationId (empty: from the method and path)', default: '' },
    ],
    actions: [{ type: 'scaffold:endpoint' }],
  });

  plop.setGenerator('entity', {
    description: 'an entity of the domain model (no endpoints): edits the model, then regenerates',
    prompts: [
      { type: 'input', name: 'name', message: 'Entity name, singular (Review)', validate: isName },
      { type: 'input', name: 'fields', message: 'Fields: name:type, ? when optional (rating:integer,comment:text?)', validate: (value) => value.trim() !== '' || 'at least one field' },
    ],
    actions: [{ type: 'scaffold:entity' }],
  });

  plop.setGenerator('middleware', {
    description: 'a middleware of yours in src/middlewares/, registered in src/app.ts',
    prompts: [{ type: 'input', name: 'name', message: 'Middleware name (audit-log)', validate: isName }],
    actions: [
      { type: 'add', path: 'src/middlewares/{{kebabCase name}}.ts', templateFile: 'templates/middleware.ts.hbs' },
      { type: 'scaffold:wire-middleware' },
    ],
  });

  plop.setGenerator('error', {
    description: 'a domain error class of yours in src/errors/, mapped to an HTTP status',
    prompts: [
      { type: 'input', name: 'name', message: 'Error name (PaymentDeclined)', validate: isName },
      { type: 'input', name: 'status', message: 'HTTP status', default: '422', validate: (value) => /^[45]\d\d$/.test(value) || 'a 4xx or 5xx status' },
    ],
    actions: (answers) => {
      const error = scaffold.errorClass(answers.name, Number(answers.status));
      return [
        { type: 'add', path: `src/errors/${error.file}`, templateFile: 'templates/error.ts.hbs', data: error },
        { type: 'scaffold:map-error', data: error },
      ];
    },
  });
}

/**
 * @typedef {object} ScaffoldContext
 * @property {() => string[]} resources the resources of the project's spec
 * @property {(name: string, status: number) => { className: string, code: string, base: string, file: string, status: number }} errorClass
 */
