import { validateCronExpression } from 'cron';
import { z } from 'zod';
import { parseTrustProxy, trustProxyEntryProblem } from '../http/trust-proxy';
import { tlsProblems } from '../http/tls';

/** The lab's zone when LAB_TIME_ZONE is unset (reports, schedules, the report totals' buckets). */
export const DEFAULT_LAB_TIME_ZONE = 'Europe/Rome';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));
const cron = z.string().refine((v) => validateCronExpression(v).valid, {
  message: 'must be a cron expression, e.g. "30 3 * * *" (minute hour day-of-month month day-of-week)',
});
const timeZone = z.string().refine(
  (v) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: v });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone, e.g. Europe/Rome' },
);

/**
 * Every environment variable the app reads, validated at start. Documented in `.env.example`.
 */
const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(23336),
  LOG_LEVEL: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  LOG_FORMAT: z.enum(['json', 'text']).default('json'),
  DATABASE_URL: z
    .string()
    .default('sqlite:./data/fabomatic.db')
    .refine((v) => /^sqlite:.+/.test(v) || /^postgres(ql)?:\/\/.+/.test(v), {
      message: 'must be sqlite:<path> or postgres://user:password@host:port/database',
    }),
  SQLITE_SYNCHRONOUS: z.enum(['NORMAL', 'FULL']).default('NORMAL'),
  /** Reader threads for the portal's reads on SQLite (ADR 0006); 0 runs them on the event loop. */
  READ_WORKERS: z.coerce.number().int().min(0).max(16).default(1),
  /** Reader threads stop after this long without a portal read (each costs memory). */
  READ_WORKERS_IDLE_SECONDS: positiveInt.max(86_400).default(60),
  MQTT_URL: optionalString.pipe(z.url({ protocol: /^mqtts?$/ }).optional()),
  BROKER_HOST: z.string().min(1).default('0.0.0.0'),
  BROKER_PORT: port.default(1883),
  /** Embedded broker: connections open at once, in all. */
  BROKER_MAX_CONNECTIONS: positiveInt.max(1_000_000).default(1024),
  /** Embedded broker: connections open at once from one address (raise it for boards behind a NAT). */
  BROKER_MAX_CONNECTIONS_PER_IP: positiveInt.max(1_000_000).default(32),
  /** Embedded broker: a connection that has not sent its MQTT CONNECT by then is closed. */
  BROKER_CONNECT_TIMEOUT_SECONDS: positiveInt.max(300).default(10),
  /**
   * Board messages a topic (and, on the embedded broker, a connection) may send: a burst of this many
   * (the replay of an offline buffer), then BOARD_RATE_LIMIT_PER_SECOND. The excess is dropped.
   */
  BOARD_RATE_LIMIT_BURST: positiveInt.max(1_000_000).default(200),
  BOARD_RATE_LIMIT_PER_SECOND: positiveInt.max(1_000_000).default(20),
  /**
   * The host (name or address) and port boards reach the broker at, shown on a machine's page when
   * they differ from what the app can tell (a wildcard BROKER_HOST, a NAT or a port mapping).
   */
  BOARD_BROKER_HOST: optionalString.pipe(
    z
      .string()
      .refine(
        (v) => /^[A-Za-z0-9.-]+$/.test(v) || (/^\[?[0-9A-Fa-f:.]+\]?$/.test(v) && v.split(':').length > 2),
        { message: 'a host name or IP address, without scheme or port' },
      )
      .optional(),
  ),
  BOARD_BROKER_PORT: optionalString.pipe(
    z.coerce.number<string | undefined>().int().min(1).max(65535).optional(),
  ),
  BOARD_MQTT_USERNAME: optionalString,
  BOARD_MQTT_PASSWORD: optionalString,
  BACKEND_MQTT_USERNAME: optionalString,
  BACKEND_MQTT_PASSWORD: optionalString,
  MQTT_ALLOW_ANONYMOUS: bool.default(false),
  MQTT_TOPIC_ROOT: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'letters, digits, - and _ separated by /')
    .default('machine'),
  MQTT_SHARED_GROUP: optionalString.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
  ),
  PUBLIC_URL: optionalString.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** Login, password change and reset attempts a minute per client address (an IPv6 /64 is one client). */
  AUTH_RATE_LIMIT: positiveInt.max(1000).default(10),
  SESSION_TTL_HOURS: positiveInt.max(24 * 30).default(12),
  /** A portal session ends this long after sign-in however much it is used (a stolen cookie dies). */
  SESSION_MAX_DAYS: positiveInt.max(90).default(7),
  COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  ADMIN_EMAIL: z.email().default('admin@fabomatic.local'),
  SMTP_URL: optionalString.pipe(z.url({ protocol: /^smtps?$/ }).optional()),
  SMTP_FROM: z.string().min(3).default('FabOMatic <fabomatic@localhost>'),
  /** An `smtp://` server must upgrade to TLS (STARTTLS) before anything is sent; else sending fails. */
  SMTP_REQUIRE_TLS: bool.default(false),
  ADMIN_PASSWORD: optionalString.pipe(z.string().min(10).optional()),
  METRICS_TOKEN: optionalString.pipe(z.string().min(16).optional()),
  BOARD_OFFLINE_SECONDS: positiveInt.default(90),
  SESSION_ORPHAN_MINUTES: positiveInt.default(60),
  ORPHAN_CHECK_SECONDS: positiveInt.default(60),
  JOBS_ENABLED: bool.default(true),
  LAB_TIME_ZONE: timeZone.default(DEFAULT_LAB_TIME_ZONE),
  GDPR_PURGE_CRON: cron.default('30 3 * * *'),
  RETENTION_DAYS: positiveInt.max(36_500).default(365),
  UNKNOWN_CARD_RETENTION_DAYS: positiveInt.max(36_500).default(30),
  /**
   * Access events older than this many months are deleted by the scheduled purge (in small batches);
   * unset keeps them all. Sessions and the audit log are never deleted by it.
   */
  ACCESS_EVENTS_RETENTION_MONTHS: optionalString.pipe(
    z.coerce.number<string | undefined>().int().positive().max(1200).optional(),
  ),
  /** Largest database file `POST /api/system/restore` accepts, in MiB (streamed to disk, never held in memory). */
  RESTORE_MAX_MB: positiveInt.max(1_000_000).default(200),
  DELETED_MEMBER_GRACE_DAYS: z.coerce.number().int().min(0).max(36_500).default(30),
  WEEKLY_SUMMARY_CRON: cron.default('0 7 * * 1'),
  MAINTENANCE_NOTICE_CRON: cron.default('0 * * * *'),
  /** Daily expiry reminders to members (issue 15), in the lab's time zone. */
  CERTIFICATION_REMINDER_CRON: cron.default('0 8 * * *'),
  /**
   * The proxies allowed to set X-Forwarded-For/-Proto: their exact addresses or CIDR blocks,
   * comma-separated, or `loopback`; unset or `none` trusts no proxy (core/http/trust-proxy.ts).
   */
  TRUST_PROXY: z
    .string()
    .default('')
    .superRefine((value, context) => {
      const entries = parseTrustProxy(value);
      for (const entry of entries || []) {
        const problem = trustProxyEntryProblem(entry);
        if (problem) context.addIssue({ code: 'custom', message: problem });
      }
    })
    .transform(parseTrustProxy),
  TLS_CERT_FILE: optionalString,
  TLS_KEY_FILE: optionalString,
  STATS_INTERVAL_SECONDS: z.coerce.number().min(0).max(3600).default(5),
  STATS_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/, 'letters, digits, - and _ separated by /')
    .default('stats'),
});

export type AppConfig = z.infer<typeof configSchema>;

/** Names of settings never printed, logged or returned. */
const SECRET_SETTINGS: readonly (keyof AppConfig)[] = [
  'ADMIN_PASSWORD',
  'METRICS_TOKEN',
  'SMTP_URL',
  'BOARD_MQTT_PASSWORD',
  'BACKEND_MQTT_PASSWORD',
  'DATABASE_URL',
  'MQTT_URL',
];

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; throws a {@link ConfigError} listing every problem at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const result = configSchema.safeParse(env);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((i) => `${i.path.join('.') || 'env'}: ${i.message}`)),
    ...accountProblems(env),
    ...tlsProblems(env),
  ];
  if (result.success && problems.length === 0) return result.data;
  throw new ConfigError(problems);
}

/** Checks across variables, reported together with the per-variable ones. */
function accountProblems(env: NodeJS.ProcessEnv): string[] {
  const set = (name: string) => Boolean(env[name]);
  const problems: string[] = [];
  for (const account of ['BOARD', 'BACKEND']) {
    if (set(`${account}_MQTT_USERNAME`) !== set(`${account}_MQTT_PASSWORD`)) {
      problems.push(
        `${account}_MQTT_PASSWORD: ${account}_MQTT_USERNAME and ${account}_MQTT_PASSWORD go together`,
      );
    }
  }
  if (set('BOARD_MQTT_USERNAME') && env['BOARD_MQTT_USERNAME'] === env['BACKEND_MQTT_USERNAME']) {
    problems.push('BACKEND_MQTT_USERNAME: the backend account must differ from the boards shared account');
  }
  return problems;
}

/** The configuration with secrets replaced, for the system page and start-up log. */
export function redactConfig(config: AppConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const key of SECRET_SETTINGS) {
    const value = out[key];
    if (typeof value === 'string')
      out[key] = key === 'DATABASE_URL' || key === 'SMTP_URL' ? redactUrl(value) : '***';
  }
  return out;
}

function redactUrl(value: string): string {
  return value.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
