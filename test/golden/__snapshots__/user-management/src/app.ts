import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config/env.js';
import { registerOperationRoutes } from './controllers/register-routes.js';
import { routes, type Controllers } from './controllers/routes.gen.js';
import { registerSystemRoutes } from './controllers/system.controller.js';
import { AuthController } from './controllers/auth.controller.js';
import { UsersController } from './controllers/users.controller.js';
import { SessionsController } from './controllers/sessions.controller.js';
import { RolesController } from './controllers/roles.controller.js';
import { openapiDocument } from './dto/openapi-document.gen.js';
import { componentSchemas, sharedErrorBody } from './dto/schemas.gen.js';
import { createAuthenticator } from './middlewares/authenticate.js';
import { registerBodyParsers } from './middlewares/body-parsers.js';
import { createCredentialVerifiers } from './middlewares/credential-verifiers.js';
import { registerCrossCuttingConcerns } from './middlewares/cross-cutting.js';
import { answerRouterError, registerErrorHandler } from './middlewares/error-handler.js';
import { createJwtVerifier } from './middlewares/jwt.js';
import { OneLinePerRequest, registerRequestIdHeader } from './middlewares/request-logging.js';
import { securitySchemes } from './middlewares/security-schemes.gen.js';
import { connectDatabase, type DatabaseConnection } from './repositories/database.js';
import { createRepositories, UnitOfWork } from './repositories/repositories.gen.js';
import { AuthService } from './services/auth.service.js';
import { UsersService } from './services/users.service.js';
import { SessionsService } from './services/sessions.service.js';
import { RolesService } from './services/roles.service.js';
import { SignIn } from './services/sign-in.gen.js';
import { createValidation } from './utils/validation.js';

/** What the app can be given instead of creating it from the config (tests pass their own database). */
export interface AppDependencies {
  database: DatabaseConnection;
}

/**
 * The composition root: creates the services with their dependencies, hands them to their
 * controllers and assembles the HTTP application. This file is yours and scaffold never rewrites
 * it: when the spec gains a resource, it adds that resource's registration to `controllers` (and its
 * imports) and leaves the rest as you wrote it.
 */
export async function buildApp(config: Config, dependencies: Partial<AppDependencies> = {}): Promise<FastifyInstance> {
  const app = createFastify(config);
  try {
    const database =
      dependencies.database ??
      (await connectDatabase({
        databaseUrl: config.databaseUrl,
        dataDir: config.dataDir,
        onCreate: (dataDir) =>
          app.log.info(`creating the embedded database in ${dataDir} (first start only, a few seconds)`),
      }));
    if (!dependencies.database) app.addHook('onClose', () => database.close());
    // The embedded database is local to this process, and development wants the newest schema:
    // both migrate at startup. A shared PostgreSQL in production is migrated as a deploy step.
    if (!dependencies.database && (database.kind === 'embedded' || config.nodeEnv === 'development'))
      await database.migrate();
    await configureApp(app, config, database);
    return app;
  } catch (error) {
    // A half-built app must not keep its connections (nor the embedded database's lock) open.
    await app.close();
    throw error;
  }
}

function createFastify(config: Config): FastifyInstance {
  return Fastify({
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'],
    },
    logController: new OneLinePerRequest(),
    // The client's x-request-id is kept when it is a plain token; anything else gets a fresh id.
    requestIdHeader: false,
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && /^[\w.:-]{1,128}$/.test(incoming) ? incoming : randomUUID();
    },
    bodyLimit: config.bodyLimitBytes,
    // Behind a load balancer every client would otherwise share the proxy's address (and rate limit).
    trustProxy: (_address: string, hop: number) => hop < config.trustedProxies,
    requestTimeout: config.requestTimeoutMs,
    exposeHeadRoutes: false,
    frameworkErrors: answerRouterError(sharedErrorBody),
  });
}

async function configureApp(app: FastifyInstance, config: Config, database: DatabaseConnection): Promise<void> {
  const validation = createValidation(componentSchemas);
  app.setValidatorCompiler(validation.validatorCompiler);
  for (const schema of componentSchemas) app.addSchema(schema);

  registerRequestIdHeader(app);
  registerErrorHandler(app, sharedErrorBody, routes, { logQueryValues: config.logQueryValues });
  const crossCutting = await registerCrossCuttingConcerns(app, config);
  app.addHook('onClose', crossCutting.close);
  await registerBodyParsers(app, config.bodyLimitBytes);
  registerSystemRoutes(app, openapiDocument, [
    { name: 'database', check: () => database.ping() },
    ...crossCutting.readiness,
  ]);

  const jwt = createJwtVerifier(config.jwt);
  if (
    !jwt.configured &&
    Object.values(securitySchemes).some((s) => s.kind === 'bearer' || s.kind === 'oauth2' || s.kind === 'openIdConnect')
  ) {
    app.log.warn('JWT_SECRET and JWT_JWKS_URL are both unset: every bearer token will be rejected');
  }
  const authenticator = createAuthenticator(securitySchemes, jwt, createCredentialVerifiers(config));

  const repositories = createRepositories(database.db);
  const unitOfWork = new UnitOfWork(database.db);
  const signIn = new SignIn(unitOfWork, config.jwt, crossCutting.redis);
  const controllers: Controllers = {
    auth: new AuthController(new AuthService(repositories, unitOfWork, signIn)),
    users: new UsersController(new UsersService(repositories, unitOfWork, signIn)),
    sessions: new SessionsController(new SessionsService(repositories, unitOfWork)),
    roles: new RolesController(new RolesService(repositories, unitOfWork)),
  };
  registerOperationRoutes(app, routes, controllers, authenticator, validation);
}
