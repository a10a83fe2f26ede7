import { loadConfig } from '../config/env.js';
import { connectDatabase } from './database.js';

/** `npm run db:migrate`: applies pending migrations to the configured database and exits. */
const config = loadConfig();
const connection = await connectDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
try {
  await connection.migrate();
  console.log(`Migrations applied (${connection.kind} database).`);
} finally {
  await connection.close();
}
