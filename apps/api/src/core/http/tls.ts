import { constants, accessSync, readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';

export interface TlsFiles {
  readonly TLS_CERT_FILE?: string;
  readonly TLS_KEY_FILE?: string;
}

/**
 * Problems with TLS_CERT_FILE / TLS_KEY_FILE, reported with the other configuration errors: both or
 * neither, readable, and a certificate and key that go together.
 */
export function tlsProblems(env: NodeJS.ProcessEnv): string[] {
  const cert = env['TLS_CERT_FILE'] || undefined;
  const key = env['TLS_KEY_FILE'] || undefined;
  if (!cert && !key) return [];
  if (!cert || !key) return ['TLS_KEY_FILE: TLS_CERT_FILE and TLS_KEY_FILE go together'];
  const problems: string[] = [];
  for (const [name, file] of [
    ['TLS_CERT_FILE', cert],
    ['TLS_KEY_FILE', key],
  ] as const) {
    try {
      accessSync(file, constants.R_OK);
    } catch {
      problems.push(`${name}: cannot read ${file}`);
    }
  }
  if (problems.length > 0) return problems;
  try {
    createSecureContext({ cert: readFileSync(cert), key: readFileSync(key) });
  } catch (error) {
    problems.push(`TLS_KEY_FILE: not a PEM certificate and its private key (${(error as Error).message})`);
  }
  return problems;
}

/** Nest's `httpsOptions` when a certificate is configured: the app then serves HTTPS only. */
export function httpsOptions(config: TlsFiles): { cert: Buffer; key: Buffer } | undefined {
  if (!config.TLS_CERT_FILE || !config.TLS_KEY_FILE) return undefined;
  return { cert: readFileSync(config.TLS_CERT_FILE), key: readFileSync(config.TLS_KEY_FILE) };
}
