// Starts the built app on a fresh database seeded with a small lab, for the portal's e2e tests.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const { mkdirSync, mkdtempSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const port = process.argv[2];
// A fixed port lets the tests' simulated boards reach the embedded broker.
const brokerPort = process.argv[3] ?? process.env.BROKER_PORT ?? '0';
const dir = mkdtempSync(join(tmpdir(), 'fabomatic-admin-e2e-'));
const env = {
  SMTP_URL: `smtp://127.0.0.1:${process.env.ADMIN_E2E_SMTP_PORT ?? 23401}`,
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  ...process.env,
  DATABASE_URL: `sqlite:${join(dir, 'fabomatic.db')}`,
  PORT: port,
  HOST: '127.0.0.1',
  BROKER_HOST: '127.0.0.1',
  BROKER_PORT: brokerPort,
  BOARD_MQTT_USERNAME: process.env.BOARD_MQTT_USERNAME ?? 'lab-board',
  BOARD_MQTT_PASSWORD: process.env.BOARD_MQTT_PASSWORD ?? 'lab-board-secret',
  LOG_LEVEL: 'warn',
  // Every simulated board of the suite connects from 127.0.0.1.
  BROKER_MAX_CONNECTIONS_PER_IP: '100000',
  ADMIN_EMAIL: 'boss@example.org',
  ADMIN_PASSWORD: 'first-Boot-pass-42',
  // Every spec signs in against this one server: the production limit (10 a minute) would throttle them.
  AUTH_RATE_LIMIT: '300',
  // The specs see the jobs "not run yet": the hourly maintenance notices ran mid-suite when a run
  // crossed the hour. Once a year, at New Year's midnight, instead.
  GDPR_PURGE_CRON: '0 0 1 1 *',
  WEEKLY_SUMMARY_CRON: '0 0 1 1 *',
  MAINTENANCE_NOTICE_CRON: '0 0 1 1 *',
  CERTIFICATION_REMINDER_CRON: '0 0 1 1 *',
};
const seed = {
  roles: [
    { name: 'Fab Users' },
    { name: 'Lab Staff', portalAccess: 'read-only' },
    { name: 'Lab Managers', portalAccess: 'manager' },
    { name: 'Members', portalAccess: 'member' },
  ],
  machineTypes: [{ name: 'Printer' }],
  machines: [
    { topicId: '1', name: 'Prusa MK4', type: 'Printer' },
    { topicId: '2', name: 'Laser Trotec', type: 'Printer', blocked: true },
    // dashboard.spec.ts's simulated board: its session leaves the machine online, not Offline.
    { topicId: '3', name: 'Ultimaker S5', type: 'Printer' },
  ],
  members: [
    { name: 'Mario', surname: 'Rossi', role: 'Fab Users', card: 'aabbccd1' },
    {
      name: 'Giulia',
      surname: 'Bianchi',
      role: 'Lab Staff',
      email: 'staff@example.org',
      password: 'Staff-Pass-2026',
    },
    {
      name: 'Bea',
      surname: 'Neri',
      role: 'Members',
      email: 'member@example.org',
      password: 'Member-Pass-2026',
      card: 'a0a0a0a0',
    },
    // members.spec.ts signs in as this manager, whatever the order of the tests.
    {
      name: 'Paolo',
      surname: 'Verdi',
      role: 'Lab Managers',
      email: 'manager@example.org',
      password: 'Manager-Pass-2026',
    },
  ],
  authorizations: [
    { member: 'aabbccd1', machine: '3' },
    { member: 'a0a0a0a0', machine: '3', expiresAt: '2026-03-12T12:00:00Z' },
    { member: 'a0a0a0a0', machine: '2' },
  ],
};
// SERVE_LAB_FRESH=1: a fresh install, nothing seeded (first-start.spec.ts walks its checklist).
const fresh = process.env.SERVE_LAB_FRESH === '1';
writeFileSync(join(dir, 'seed.json'), JSON.stringify(seed));
if (!fresh) {
  execFileSync(process.execPath, ['bin/fabomatic.js', 'seed', join(dir, 'seed.json')], {
    env,
    stdio: 'inherit',
  });
}

// activity.spec.ts signs in as this admin (seeded: no forced change). Seeded only once the app has
// started: a database with an admin gets no bootstrap admin, and portal.spec.ts needs that one.
const admin = {
  roles: [{ name: 'Lab Admins', portalAccess: 'admin' }],
  members: [
    {
      name: 'Sara',
      surname: 'Gialli',
      role: 'Lab Admins',
      email: 'admin@example.org',
      password: 'Admin-Pass-2026',
    },
  ],
};
writeFileSync(join(dir, 'seed-admin.json'), JSON.stringify(admin));
// Test-only: where the lab's SQLite file is, for a spec that ages data the real clock cannot
// (certification-walk.spec.ts moves an authorization's last use past the type's decay).
mkdirSync('tmp', { recursive: true });
writeFileSync(
  join('tmp', `admin-e2e-lab-${port}.json`),
  JSON.stringify({ database: join(dir, 'fabomatic.db') }),
);
const server = spawn(process.execPath, ['bin/fabomatic.js', 'serve'], { env, stdio: 'inherit' });
server.on('exit', (code) => process.exit(code ?? 1));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
// A spec that starts its own lab (system-restore.spec.ts) holds its stdin: when that test run ends,
// even killed, the pipe closes and the lab stops instead of lingering on its ports.
if (process.env.SERVE_LAB_STOP_WITH_STDIN === '1') {
  process.stdin.on('end', () => server.kill('SIGTERM'));
  process.stdin.on('error', () => server.kill('SIGTERM'));
  process.stdin.resume();
}
const seedAdmin = async () => {
  while (
    !(await fetch(`http://127.0.0.1:${port}/ready`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  execFileSync(process.execPath, ['bin/fabomatic.js', 'seed', join(dir, 'seed-admin.json')], {
    env,
    stdio: 'inherit',
  });
};
if (!fresh) void seedAdmin();
