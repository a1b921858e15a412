import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SESSION_COOKIE } from '@fabomatic/contracts';
import { ConfigError, loadConfig } from '../config/config.schema';
import { TEST_ADMIN, startTestApp, type TestApp } from '../../testing/test-app';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** HTTPS with the test's own self-signed certificate as the only trusted authority. */
function https(url: string, ca: Buffer, method = 'GET', body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca,
        headers: body ? { 'content-type': 'application/json', 'x-requested-with': 'fabomatic' } : {},
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

describe('HTTPS served by the app (TLS_CERT_FILE, TLS_KEY_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fabomatic-tls-'));
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  let lab: TestApp | undefined;

  beforeAll(() => {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1'].concat([
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ]),
      { stdio: 'ignore' },
    );
  });
  afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses half a configuration, unreadable files and a key that is not the certificate’s', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
        return [];
      } catch (error) {
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ TLS_CERT_FILE: cert })).toEqual([
      'TLS_KEY_FILE: TLS_CERT_FILE and TLS_KEY_FILE go together',
    ]);
    expect(problems({ TLS_CERT_FILE: cert, TLS_KEY_FILE: join(dir, 'missing.pem') })).toEqual([
      `TLS_KEY_FILE: cannot read ${join(dir, 'missing.pem')}`,
    ]);
    const otherKey = join(dir, 'other.pem');
    writeFileSync(
      otherKey,
      execFileSync('openssl', ['genrsa', '2048'], { stdio: ['ignore', 'pipe', 'ignore'] }),
    );
    expect(problems({ TLS_CERT_FILE: cert, TLS_KEY_FILE: otherKey })[0]).toMatch(/^TLS_KEY_FILE: not a PEM/);
    expect(problems({ TLS_CERT_FILE: cert, TLS_KEY_FILE: key })).toEqual([]);
  });

  it('serves HTTPS with HSTS, and a login over it sets a Secure cookie', async () => {
    lab = await startTestApp({
      database: 'sqlite',
      broker: 'embedded',
      env: { TLS_CERT_FILE: cert, TLS_KEY_FILE: key },
    });
    expect(lab.running.httpUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const ca = readFileSync(cert);

    const health = await https(`${lab.running.httpUrl}/health`, ca);
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toMatch(/max-age=\d+/);

    const login = await https(`${lab.running.httpUrl}/api/auth/login`, ca, 'POST', {
      email: TEST_ADMIN.email,
      password: TEST_ADMIN.password,
    });
    expect(login.status).toBe(200);
    const cookie = ([] as string[])
      .concat(login.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    expect(cookie).toBeDefined();
    expect(cookie?.split(';').map((part) => part.trim().toLowerCase())).toEqual(
      expect.arrayContaining(['secure', 'httponly', 'samesite=strict']),
    );

    // Plain HTTP on the same port gets no answer from the app.
    await expect(fetch(lab.running.httpUrl.replace('https:', 'http:') + '/health')).rejects.toThrow();
  });
});
