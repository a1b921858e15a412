import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

/**
 * Providers are named one way (docs/architecture.md, "Naming providers"): a class is its own token,
 * named after its file (`directory-cache.ts` → `DirectoryCache`, `members.service.ts` →
 * `MembersService`); a value that is not a class has a `Symbol` token whose description is the
 * constant's name; no string tokens.
 */
const SRC = __dirname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'testing' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** A second provider that lives beside the one named after the file, and why. */
const BESIDE: Record<string, string> = {
  // The SMTP implementation of the Mailer seam, in the seam's file.
  SmtpMailer: 'core/mail/mailer.ts',
  // The one route of the setup wizard a board (not a browser) calls.
  BoardConnectionController: 'app/setup/setup.controller.ts',
  // The export writer of core/http/export.ts (a file of functions, named for what it does).
  ExportStreams: 'core/http/export.ts',
  // The sign-in methods, the passport strategies side by side (issue 14).
  PasswordStrategy: 'app/auth/sign-in.strategies.ts',
  MagicLinkStrategy: 'app/auth/sign-in.strategies.ts',
  // A member's own reports (/api/me/problems) and the downtime report, beside the staff's routes.
  MyProblemsController: 'app/problems/problems.controller.ts',
  DowntimeController: 'app/problems/problems.controller.ts',
  // A trainer's own view (/api/me/trainer-of, /api/me/trainees), beside the trainers' routes.
  MyTrainingController: 'app/training/trainers.controller.ts',
};

const PROVIDER =
  /@(?:Injectable|Module|Controller|WebSocketGateway|Catch)\([^]*?\)\s*\n(?:@[^\n]*\n)*export (?:abstract )?class (\w+)/g;

const pascal = (file: string) =>
  basename(file, '.ts').replace(/(^|[-.])([a-z0-9])/g, (_m, _sep: string, c: string) => c.toUpperCase());

const files = sourceFiles(SRC).map((path) => ({
  path,
  name: relative(SRC, path),
  source: readFileSync(path, 'utf8'),
}));

describe('provider names', () => {
  it('name each provider class after its file', () => {
    const providers = files.flatMap(({ path, name, source }) =>
      [...source.matchAll(PROVIDER)].map((match) => ({
        path,
        name: name.split('\\').join('/'),
        cls: match[1],
      })),
    );
    expect(providers.length).toBeGreaterThan(60);
    const misnamed = providers
      .filter(({ path, name, cls }) => cls !== pascal(path) && BESIDE[cls] !== name)
      .map(({ name, cls }) => `${name}: ${cls}`);
    expect(misnamed).toEqual([]);
  });

  it('use Symbol tokens named as their constant, never strings', () => {
    const strings = files
      .filter(({ source }) => /provide:\s*['"`]|@Inject\(\s*['"`]/.test(source))
      .map(({ name }) => name);
    expect(strings).toEqual([]);
    const symbols = files.flatMap(({ name, source }) =>
      [...source.matchAll(/const (\w+) = Symbol\(\s*'([^']*)'\s*\)/g)]
        .filter((match) => match[1] !== match[2])
        .map((match) => `${name}: ${match[1]}`),
    );
    expect(symbols).toEqual([]);
  });
});
