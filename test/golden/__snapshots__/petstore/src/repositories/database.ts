import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePostgres } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePostgres } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import * as schema from './schema.gen.js';

/** Either database, as the repositories see it (a transaction has the same shape). */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseConnection {
  readonly kind: 'embedded' | 'postgres';
  readonly db: Database;
  /** Applies the SQL files in migrations/ that have not been applied yet. */
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * `DATABASE_URL` set: a node-postgres pool. Unset: PGlite, PostgreSQL in this process, storing its
 * data in `dataDir` (or in memory for `memory://`). PGlite allows one process per data directory, so
 * a lock file makes a second process (`db:migrate` beside a running server, say) refuse clearly
 * instead of corrupting the data.
 */
export async function connectDatabase(options: {
  databaseUrl: string | undefined;
  dataDir: string;
  template?: Blob;
  /** Told before an embedded database is created in `dataDir`: the first start takes several seconds. */
  onCreate?: (dataDir: string) => void;
}): Promise<DatabaseConnection> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10 });
    const db = drizzleNodePostgres(pool, { schema });
    return {
      kind: 'postgres',
      db,
      migrate: () => migrateNodePostgres(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      ping: async () => void (await db.execute(sql`select 1`)),
      close: () => pool.end(),
    };
  }
  const inMemory = options.dataDir === 'memory://';
  const release = inMemory ? () => {} : lockDataDirectory(options.dataDir);
  if (!inMemory && !existsSync(join(options.dataDir, 'PG_VERSION'))) options.onCreate?.(options.dataDir);
  try {
    // A template (a dump of an already migrated database) starts in a fraction of the time of a new one.
    const client = inMemory
      ? new PGlite(options.template ? { loadDataDir: options.template } : {})
      : new PGlite(options.dataDir);
    await client.waitReady;
    const db = drizzlePglite(client, { schema });
    return {
      kind: 'embedded',
      db,
      migrate: () => migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER }),
      ping: async () => void (await db.execute(sql`select 1`)),
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

export class DatabaseLockedError extends Error {
  constructor(dataDir: string, pid: number) {
    super(
      `The embedded database in ${dataDir} is in use by process ${pid} (a running server, or \`npm run dev\`?): ` +
        'it lets one process open it at a time. Stop that process and run this again, or set DATABASE_URL to use ' +
        'PostgreSQL, which any number of processes can share.',
    );
    this.name = 'DatabaseLockedError';
  }
}

function lockDataDirectory(dataDir: string): () => void {
  const lockFile = `${dataDir}.lock`;
  mkdirSync(dirname(lockFile), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockFile, 'utf8'));
      if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder))
        throw new DatabaseLockedError(dataDir, holder);
      rmSync(lockFile, { force: true }); // left behind by a process that is gone
    }
  }
  throw new Error(`Could not lock ${dataDir}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
