import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/env.js';

/** Starts the HTTP server and stops it gracefully: in-flight requests finish, new ones get 503. */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }

  const app = await buildApp(config);
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

await main();
