import { defineConfig } from '@playwright/test';

const PORT = Number(process.env['ADMIN_E2E_PORT'] ?? 23399);
const BROKER_PORT = Number(process.env['ADMIN_E2E_BROKER_PORT'] ?? 23398);
// The lab's embedded broker, for the tests' simulated boards (serve-lab.js reads the same variables).
process.env['ADMIN_E2E_BROKER_URL'] = `mqtt://127.0.0.1:${BROKER_PORT}`;
process.env['BOARD_MQTT_USERNAME'] ??= 'lab-board';
process.env['BOARD_MQTT_PASSWORD'] ??= 'lab-board-secret';
// The tests' own SMTP listener (password reset mails), which serve-lab.js points the app at.
process.env['ADMIN_E2E_SMTP_PORT'] ??= String(PORT + 2);

/** The built portal served by the built API, in Debian's Chromium (no browser download). */
export default defineConfig({
  testDir: './src',
  timeout: 30_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  outputDir: '../../tmp/admin-e2e-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `node apps/admin-e2e/serve-lab.js ${PORT} ${BROKER_PORT}`,
    cwd: '../..',
    url: `http://127.0.0.1:${PORT}/ready`,
    timeout: 30_000,
    reuseExistingServer: false,
  },
});
