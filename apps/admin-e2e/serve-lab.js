// Starts the built app on a fresh database seeded with a small lab, for the portal's e2e tests.
'use strict';
const { execFileSync } = require('node:child_process');
const { mkdtempSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const port = process.argv[2];
const dir = mkdtempSync(join(tmpdir(), 'fabomatic-admin-e2e-'));
const env = {
  ...process.env,
  DATABASE_URL: `sqlite:${join(dir, 'fabomatic.db')}`,
  PORT: port,
  HOST: '127.0.0.1',
  BROKER_HOST: '127.0.0.1',
  BROKER_PORT: '0',
  LOG_LEVEL: 'warn',
  ADMIN_EMAIL: 'boss@example.org',
  ADMIN_PASSWORD: 'first-Boot-pass-42',
};
const seed = {
  roles: [{ name: 'Fab Users' }],
  machineTypes: [{ name: 'Printer' }],
  machines: [
    { topicId: '1', name: 'Prusa MK4', type: 'Printer' },
    { topicId: '2', name: 'Laser Trotec', type: 'Printer', blocked: true },
  ],
  members: [{ name: 'Mario', surname: 'Rossi', role: 'Fab Users', card: 'aabbccd1' }],
};
writeFileSync(join(dir, 'seed.json'), JSON.stringify(seed));
execFileSync(process.execPath, ['bin/fabomatic.js', 'seed', join(dir, 'seed.json')], {
  env,
  stdio: 'inherit',
});
execFileSync(process.execPath, ['bin/fabomatic.js', 'serve'], { env, stdio: 'inherit' });
