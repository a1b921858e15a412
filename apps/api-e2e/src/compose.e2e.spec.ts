import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT, removeTempDirs, tempDir } from './support/processes';

/**
 * docker-compose (Debian's, installed by npm test's preflight) resolves and validates the file: there is no
 * Docker engine here to run it. The file is checked beside an .env an operator would write.
 */
function composeConfig(env: string, ...profiles: string[]): string {
  const dir = tempDir();
  copyFileSync(join(REPO_ROOT, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
  writeFileSync(join(dir, '.env'), env);
  return execFileSync('docker-compose', [...profiles.flatMap((p) => ['--profile', p]), 'config'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('docker-compose.yml', () => {
  afterAll(() => removeTempDirs());

  it('is valid with every profile, and wires the app to Mosquitto with the backend account', () => {
    const config = composeConfig(
      'BOARD_MQTT_PASSWORD=b\nBACKEND_MQTT_PASSWORD=k\nPOSTGRES_PASSWORD=p\nPUBLIC_HOST=fab.example.org\n',
      'postgres',
      'tls',
    );
    for (const service of ['mosquitto-accounts:', 'mosquitto:', 'app:', 'postgres:', 'tls:']) {
      expect(config).toContain(`  ${service}`);
    }
    expect(config).toContain('MQTT_URL: mqtt://mosquitto:1883');
    expect(config).toContain('BACKEND_MQTT_USERNAME: fabomatic-backend');
    expect(config).toMatch(/mosquitto\/config:ro/);
  });

  it('publishes the app port only where told (the host alone with TLS), trusting only Caddy as a proxy', () => {
    const env = 'BOARD_MQTT_PASSWORD=b\nBACKEND_MQTT_PASSWORD=k\nPUBLIC_HOST=fab.example.org\n';
    const behindCaddy = composeConfig(`${env}APP_PUBLISH_ADDRESS=127.0.0.1\n`, 'tls');
    expect(behindCaddy).toContain('127.0.0.1:23336:23336');
    expect(behindCaddy).toContain('TRUST_PROXY: 172.31.250.2');
    expect(behindCaddy).toContain('ipv4_address: 172.31.250.2');
    expect(behindCaddy).not.toContain('uniquelocal');
  });

  it("keeps the TLS proxy down while the app's plain-HTTP port is published to the network", () => {
    const env = 'BOARD_MQTT_PASSWORD=b\nBACKEND_MQTT_PASSWORD=k\nPUBLIC_HOST=fab.example.org\n';
    const config = composeConfig(env, 'tls');
    expect(config).toContain('/deploy/tls-proxy.sh:/etc/fabomatic/tls-proxy.sh:ro');
    expect(config).toContain('APP_PUBLISH_ADDRESS: 0.0.0.0');
    // The proxy's start script itself, with a stand-in for caddy that prints what it was asked.
    const bin = tempDir();
    writeFileSync(join(bin, 'caddy'), '#!/bin/sh\necho "caddy $*"\n');
    chmodSync(join(bin, 'caddy'), 0o755);
    const start = (publish: string | undefined) =>
      spawnSync('sh', [join(REPO_ROOT, 'deploy', 'tls-proxy.sh')], {
        encoding: 'utf8',
        env: {
          PATH: `${bin}:/usr/bin:/bin`,
          PUBLIC_HOST: 'fab.example.org',
          ...(publish === undefined ? {} : { APP_PUBLISH_ADDRESS: publish }),
        },
      });
    for (const exposed of [undefined, '0.0.0.0', '192.168.1.10']) {
      const refused = start(exposed);
      expect([exposed, refused.status, refused.stdout]).toEqual([exposed, 1, '']);
      expect(refused.stderr).toContain('set APP_PUBLISH_ADDRESS=127.0.0.1');
    }
    const proxied = start('127.0.0.1');
    expect([proxied.status, proxied.stdout.trim()]).toEqual([
      0,
      'caddy reverse-proxy --from fab.example.org --to app:23336',
    ]);
  });

  it('resolves without the optional settings, the accounts service refusing missing passwords', () => {
    const config = composeConfig('ADMIN_EMAIL=a@example.org\n').replace(/\s+/g, ' ');
    expect(config).toContain('BOARD_MQTT_PASSWORD:?set BOARD_MQTT_PASSWORD in .env');
    expect(config).toContain('BACKEND_MQTT_PASSWORD:?set BACKEND_MQTT_PASSWORD in .env');
  });
});
