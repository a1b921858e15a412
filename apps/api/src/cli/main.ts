import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../core/config/config.schema';
import { serve } from '../main';

const USAGE = `Usage: fabomatic <command> [options]

Commands:
  serve                 run the backend (default): web UI, REST API, board transport
  migrate               apply pending database migrations and exit
  seed <file.json>      load roles, members, machine types, machines, authorizations and
                        maintenance plans from a JSON file (see docs/seed.md)
  import-legacy <file> [--dry-run]
                        import a legacy FabOMatic (Python) SQLite database into an empty
                        database; --dry-run checks and counts without writing
  purge                 run the GDPR purge now (as scheduled): old history to Anonymous, old
                        unknown cards deleted, deleted members erased; prints the counts
  weekly-summary [--dry-run]
                        send the last full week's summary now; --dry-run prints who would get
                        which email and sends nothing
  rebuild-aggregates    recompute the report totals and the maintenance plans' counters from the
                        history (after restoring an old backup or changing LAB_TIME_ZONE)
  admin create <email> [--name <name>]
                        create a portal admin; prints a one-time password (change at first login)
  admin reset-password <email>
                        new one-time password for a portal user; ends their sessions
  backup <file>         consistent snapshot of the SQLite database, also while the app runs
                        (PostgreSQL: use pg_dump)
  migration:generate <Name>
                        (developers) write migrations for entity changes, for every driver

Configuration comes from environment variables: see .env.example.`;

/** Runs one CLI command; resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      'dry-run': { type: 'boolean' },
      name: { type: 'string' },
    },
  });
  const [command = 'serve', ...rest] = positionals;
  if (values.help || command === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    switch (command) {
      case 'serve': {
        await serve(loadConfig());
        return 0;
      }
      case 'migrate': {
        const { runMigrations } = await import('../core/database/migrate.js');
        const applied = await runMigrations(loadConfig());
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
        return 0;
      }
      case 'seed': {
        const file = rest[0];
        if (!file) throw new UsageError('seed needs a file: fabomatic seed <file.json>');
        const { seedFromFile } = await import('./seed.js');
        const counts = await seedFromFile(loadConfig(), file);
        console.log(
          `seeded: ${Object.entries(counts)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ')}`,
        );
        return 0;
      }
      case 'import-legacy': {
        const file = rest[0];
        if (!file)
          throw new UsageError('import-legacy needs a file: fabomatic import-legacy <legacy.db> [--dry-run]');
        // Operator commands load their code when run: `serve` does not carry it in memory.
        const { formatImportReport, importLegacyFile } = await import('./legacy/import-legacy-command.js');
        const report = await importLegacyFile(loadConfig(), file, values['dry-run'] ?? false);
        console.log(formatImportReport(report));
        return 0;
      }
      case 'purge': {
        const config = loadConfig();
        const { formatPurge, purgeNow } = await import('./jobs-commands.js');
        console.log(formatPurge(await purgeNow(config), config));
        return 0;
      }
      case 'weekly-summary': {
        const dryRun = values['dry-run'] ?? false;
        const { formatWeeklySummary, weeklySummaryNow } = await import('./jobs-commands.js');
        const result = await weeklySummaryNow(loadConfig(), dryRun);
        console.log(formatWeeklySummary(result, dryRun));
        return result.failed > 0 ? 1 : 0;
      }
      case 'rebuild-aggregates': {
        const config = loadConfig();
        const { formatRebuild, rebuildAggregates } = await import('./rebuild-aggregates-command.js');
        console.log(formatRebuild(await rebuildAggregates(config), config));
        return 0;
      }
      case 'admin': {
        const [action, email] = rest;
        if ((action !== 'create' && action !== 'reset-password') || !email) {
          throw new UsageError('admin needs: admin create <email> [--name N] | admin reset-password <email>');
        }
        const { createAdmin, formatOneTimePassword, resetPassword } = await import('./admin-commands.js');
        const result =
          action === 'create'
            ? await createAdmin(loadConfig(), email, values.name)
            : await resetPassword(loadConfig(), email);
        console.log(formatOneTimePassword(result, action === 'create'));
        return 0;
      }
      case 'backup': {
        const file = rest[0];
        if (!file) throw new UsageError('backup needs a file: fabomatic backup <file>');
        const { backupDatabase } = await import('./backup-command.js');
        const result = await backupDatabase(loadConfig(), file);
        console.log(`backup written to ${result.file} (${result.bytes} bytes)`);
        return 0;
      }
      case 'migration:generate': {
        const name = rest[0];
        if (!name) throw new UsageError('migration:generate needs a PascalCase name');
        const { generateMigration } = await import('./generate-migration.js');
        await generateMigration(name);
        return 0;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UsageError) {
      console.error(error.message);
      if (error instanceof UsageError) console.error(`\n${USAGE}`);
      return 2;
    }
    console.error(error instanceof Error ? error.message : error);
    return 1;
  }
}

class UsageError extends Error {}
