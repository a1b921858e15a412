import { defineConfig } from '@playwright/test';

const PORT = Number(process.env['ADMIN_E2E_PORT'] ?? 23399);

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
    command: `node apps/admin-e2e/serve-lab.js ${PORT}`,
    cwd: '../..',
    url: `http://127.0.0.1:${PORT}/ready`,
    timeout: 30_000,
    reuseExistingServer: false,
  },
});
