import { loadEnvFile } from '../config/env-file.js';
import { ConfigError, loadConfig } from '../config/env.js';
import { connectDatabase, DatabaseLockedError } from './database.js';

/** `npm run db:migrate`: applies pending migrations to the configured database and exits. */
try {
  loadEnvFile();
  const config = loadConfig();
  const connection = await connectDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    onCreate: (dataDir) =>
      console.log(`Creating the embedded database in ${dataDir} (first start only, a few seconds).`),
  });
  try {
    await connection.migrate();
    console.log(`Migrations applied (${connection.kind} database).`);
  } finally {
    await connection.close();
  }
} catch (error) {
  // A bad setting or a database in use says what to do: its message alone, without a stack trace.
  if (!(error instanceof ConfigError || error instanceof DatabaseLockedError)) throw error;
  console.error(error.message);
  process.exitCode = 1;
}
