import { buildApp } from './app.js';
import { loadEnvFile } from './config/env-file.js';
import { ConfigError, loadConfig, type Config } from './config/env.js';
import { DatabaseLockedError } from './repositories/database.js';

/** Starts the HTTP server and stops it gracefully: in-flight requests finish, new ones get 503. */
async function main(): Promise<void> {
  let config: Config;
  try {
    loadEnvFile();
    config = loadConfig();
  } catch (error) {
    exitExplaining(error);
  }

  const app = await buildApp(config).catch(exitExplaining);
  let stopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const forced = setTimeout(() => {
      app.log.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, 10_000);
    forced.unref();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', (signal) => void stop(signal));
  process.once('SIGINT', (signal) => void stop(signal));

  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    // The port is taken, say: release the database (and the embedded one's lock) before exiting.
    app.log.fatal({ err: error }, 'could not listen');
    await app.close();
    process.exit(1);
  }
}

/** A bad setting or a database in use says what to do: its message alone, without a stack trace. */
function exitExplaining(error: unknown): never {
  if (error instanceof ConfigError || error instanceof DatabaseLockedError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

await main();
