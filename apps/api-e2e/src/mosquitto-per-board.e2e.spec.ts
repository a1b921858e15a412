import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import { uniqueClientId } from './support/lab';
import { spawnMosquitto, waitListening } from './support/mosquitto';
import { freePort, REPO_ROOT, removeTempDirs, stopAll, tempDir } from './support/processes';

// User name = the board's topic id, as the Boards page issues it.
const BOARD_7 = { username: '7', password: 'seven-own-secret-0123' };
const BOARD_8 = { username: '8', password: 'eight-own-secret-4567' };
const SHARED = { username: 'board', password: 'boards-shared-secret' };
const BACKEND = { username: 'fabomatic-backend', password: 'backend-own-secret' };

/** The repository's per-board Mosquitto files, with only the port and the folder adapted. */
function perBoardMosquitto(dir: string, port: number): string {
  const conf = readFileSync(join(REPO_ROOT, 'mosquitto', 'mosquitto-per-board.conf'), 'utf8')
    .replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
    .replaceAll('/mosquitto/config/', `${dir}/`)
    .replaceAll('/mosquitto/secrets/', `${dir}/`);
  copyFileSync(join(REPO_ROOT, 'mosquitto', 'acl-per-board'), join(dir, 'acl-per-board'));
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, '');
  // The password-file workflow of mosquitto/README.md; the shared account exists but has no rule.
  for (const account of [BOARD_7, BOARD_8, SHARED, BACKEND])
    execFileSync('mosquitto_passwd', ['-b', passwd, account.username, account.password]);
  const file = join(dir, 'mosquitto.conf');
  writeFileSync(file, conf);
  chmodSync(dir, 0o755);
  for (const name of ['acl-per-board', 'passwd', 'mosquitto.conf']) chmodSync(join(dir, name), 0o644);
  return file;
}

describe('the per-board Mosquitto configuration of the repository', () => {
  let url = '';
  const clients: MqttClient[] = [];
  const client = (account: { username: string; password: string }): Promise<MqttClient> =>
    new Promise((resolve, reject) => {
      const c = connect(url, {
        protocolVersion: 4,
        reconnectPeriod: 0,
        connectTimeout: 3000,
        clientId: uniqueClientId('per-board'),
        ...account,
      });
      c.once('connect', () => {
        clients.push(c);
        resolve(c);
      });
      c.once('error', (error) => {
        c.end(true);
        reject(error);
      });
    });
  const received = (c: MqttClient) => {
    const seen: string[] = [];
    c.on('message', (topic, payload) => seen.push(`${topic} ${payload.toString()}`));
    return seen;
  };
  const settle = () => new Promise((r) => setTimeout(r, 300));

  beforeAll(async () => {
    const dir = tempDir();
    const port = await freePort();
    const broker = spawnMosquitto(perBoardMosquitto(dir, port));
    await waitListening(broker, port);
    url = `mqtt://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await stopAll();
    removeTempDirs();
  });

  it("lets a board account ask on its own topic only: a spoofed query on another board's never reaches the backend", async () => {
    const backend = await client(BACKEND);
    await backend.subscribeAsync('machine/+');
    const queries = received(backend);
    const seven = await client(BOARD_7);
    await seven.publishAsync('machine/7', '{"action":"checkmachine"}');
    await seven.publishAsync('machine/8', '{"action":"checkuser","uid":"aabbccd1"}');
    const shared = await client(SHARED);
    await shared.publishAsync('machine/8', '{"action":"checkuser","uid":"aabbccd2"}');
    await settle();
    expect(queries).toEqual(['machine/7 {"action":"checkmachine"}']);
  });

  it("refuses a board account another board's /request and /reply, and answering or commanding its own", async () => {
    const seven = await client(BOARD_7);
    const seen = received(seven);
    // Mosquitto may grant the SUBACK of a topic the ACL does not let it read: it then delivers
    // nothing from it (checked on each message), which is what counts.
    await seven.subscribeAsync(['machine/8/request', 'machine/8/reply', 'machine/+/request', 'machine/#']);
    await seven.subscribeAsync(['machine/7/request', 'machine/7/reply']);
    const eight = await client(BOARD_8);
    await eight.subscribeAsync(['machine/8/request', 'machine/8/reply']);
    const seenByEight = received(eight);
    const backend = await client(BACKEND);
    await backend.publishAsync('machine/8/request', '{"request_type":"start","uid":"aabbccd1"}');
    await backend.publishAsync('machine/7/reply', '{"request_ok":true}');
    // A board account may not answer nor command, not even on its own topic.
    await seven.publishAsync('machine/7/reply', '{"request_ok":true,"is_valid":true}');
    await seven.publishAsync('machine/8/reply', '{"request_ok":true,"is_valid":true}');
    await settle();
    expect(seen).toEqual(['machine/7/reply {"request_ok":true}']);
    expect(seenByEight).toEqual(['machine/8/request {"request_type":"start","uid":"aabbccd1"}']);
  });

  it('refuses a board account with the wrong password', async () => {
    await expect(client({ username: '7', password: BOARD_8.password })).rejects.toThrow(
      /Not authorized|Bad username/i,
    );
  });
});
