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
  migration:generate <Name>
                        (developers) write migrations for entity changes, for every driver

Configuration comes from environment variables: see .env.example.`;

/** Runs one CLI command; resolves to the process exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { help: { type: 'boolean', short: 'h' }, 'dry-run': { type: 'boolean' } },
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
