import { existsSync } from 'node:fs';
import type { AppConfig } from '../../core/config/config.schema';
import { createDataSource } from '../../core/database/data-source';
import { type ImportReport, importLegacy } from './legacy-import';
import { readLegacyDatabase } from './legacy-reader';

/** `fabomatic import-legacy <file> [--dry-run]`: migrates the target, then imports (or counts). */
export async function importLegacyFile(
  config: AppConfig,
  file: string,
  dryRun: boolean,
): Promise<ImportReport> {
  if (!existsSync(file)) throw new Error(`no such file: ${file}`);
  const legacy = readLegacyDatabase(file);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
    return await importLegacy(dataSource, legacy, dryRun, new Date(), config.LAB_TIME_ZONE);
  } finally {
    await dataSource.destroy();
  }
}

export function formatImportReport(report: ImportReport): string {
  const lines = [
    `${report.dryRun ? 'Dry run (nothing written)' : 'Imported'}: legacy schema revision ${report.revision}`,
    ...Object.entries(report.counts).map(
      ([kind, c]) => `  ${kind.padEnd(18)} ${String(c.imported).padStart(7)} of ${c.source}`,
    ),
  ];
  if (report.warnings.length > 0) lines.push('Warnings:', ...report.warnings.map((w) => `  - ${w}`));
  return lines.join('\n');
}
