import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SimulatedBoard } from '@fabomatic/board-sim';
import { connect, type MqttClient } from 'mqtt';
import { labSeed, seedDatabase, uniqueClientId } from './support/lab';
import { spawnMosquitto, waitListening } from './support/mosquitto';
import {
  type AppChild,
  freePort,
  REPO_ROOT,
  removeTempDirs,
  spawnApp,
  stopAll,
  tempDir,
} from './support/processes';

const BOARD = { username: 'board', password: 'boards-shared-secret' };
const BACKEND = { username: 'fabomatic-backend', password: 'backend-own-secret' };

/** The repository's mosquitto/ files, with only the port and the folder adapted to this test. */
function mosquittoFromRepo(dir: string, port: number): string {
  const conf = readFileSync(join(REPO_ROOT, 'mosquitto', 'mosquitto.conf'), 'utf8')
    .replace(/^listener 1883$/m, `listener ${port} 127.0.0.1`)
    .replaceAll('/mosquitto/config/', `${dir}/`)
    .replaceAll('/mosquitto/secrets/', `${dir}/`);
  copyFileSync(join(REPO_ROOT, 'mosquitto', 'acl'), join(dir, 'acl'));
  const passwd = join(dir, 'passwd');
  writeFileSync(passwd, '');
  execFileSync('mosquitto_passwd', ['-b', passwd, BOARD.username, BOARD.password]);
  execFileSync('mosquitto_passwd', ['-b', passwd, BACKEND.username, BACKEND.password]);
  const file = join(dir, 'mosquitto.conf');
  writeFileSync(file, conf);
  // Started as root, mosquitto drops to its own user: let it read the folder.
  chmodSync(dir, 0o755);
  for (const name of ['acl', 'passwd', 'mosquitto.conf']) chmodSync(join(dir, name), 0o644);
  return file;
}

function client(url: string, account?: { username: string; password: string }): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = connect(url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 3000,
      clientId: uniqueClientId('acl'),
      ...account,
    });
    c.once('connect', () => resolve(c));
    c.once('error', (error) => {
      c.end(true);
      reject(error);
    });
  });
}

describe('the Mosquitto configuration of the repository', () => {
  let url = '';
  let app: AppChild | undefined;
  const clients: { end: (force?: boolean) => unknown }[] = [];

  beforeAll(async () => {
    const dir = tempDir();
    const port = await freePort();
    const broker = spawnMosquitto(mosquittoFromRepo(dir, port));
    await waitListening(broker, port);
    url = `mqtt://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    for (const c of clients) c.end(true);
    await app?.stop('SIGTERM');
    await stopAll();
    removeTempDirs();
  });

  it('refuses anonymous clients and wrong passwords', async () => {
    await expect(client(url)).rejects.toThrow(/Not authorized|Bad username/i);
    await expect(client(url, { username: BOARD.username, password: 'wrong' })).rejects.toThrow(
      /Not authorized|Bad username/i,
    );
  });

  it('never delivers a reply or a command published with the board account', async () => {
    const victim = await client(url, BOARD);
    clients.push(victim);
    await victim.subscribeAsync(['machine/1/reply', 'machine/1/request']);
    const received: string[] = [];
    victim.on('message', (topic) => received.push(topic));
    const rogue = await client(url, BOARD);
    clients.push(rogue);
    await rogue.publishAsync('machine/1/reply', '{"request_ok":true,"is_valid":true,"level":3}');
    await rogue.publishAsync('machine/1/request', '{"request_type":"start","uid":"aabbccd1"}');
    const backend = await client(url, BACKEND);
    clients.push(backend);
    await backend.publishAsync('machine/1/reply', '{"request_ok":true}');
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toEqual(['machine/1/reply']);
  });

  it('keeps the live events between instances (member names) away from the board account', async () => {
    const backend = await client(url, BACKEND);
    const snoop = await client(url, BOARD);
    clients.push(backend, snoop);
    const seenByBackend: string[] = [];
    const seenByBoard: string[] = [];
    backend.on('message', (_topic, payload) => seenByBackend.push(payload.toString()));
    snoop.on('message', (_topic, payload) => seenByBoard.push(payload.toString()));
    await backend.subscribeAsync('fabomatic/live/#');
    await snoop.subscribeAsync(['fabomatic/live/#', '#']);
    await backend.publishAsync('fabomatic/live/lab/a1', '{"name":"access-event"}');
    await snoop.publishAsync('fabomatic/live/lab/b2', '{"name":"forged"}');
    await new Promise((r) => setTimeout(r, 300));
    expect(seenByBackend).toEqual(['{"name":"access-event"}']);
    expect(seenByBoard).toEqual([]);
  });

  it('carries the whole board protocol between a board and the app on the backend account', async () => {
    const { seed, machines } = labSeed(1);
    const dir = tempDir();
    const databaseUrl = `sqlite:${join(dir, 'fabomatic.db')}`;
    await seedDatabase(dir, databaseUrl, seed);
    app = spawnApp(await freePort(), {
      DATABASE_URL: databaseUrl,
      MQTT_URL: url,
      BACKEND_MQTT_USERNAME: BACKEND.username,
      BACKEND_MQTT_PASSWORD: BACKEND.password,
    });
    await app.waitReady();
    const machine = machines[0];
    const board = new SimulatedBoard({
      url,
      topicId: machine.topicId,
      clientId: uniqueClientId('acl-board'),
      ...BOARD,
    });
    await board.connect();
    clients.push({ end: () => void board.close() });
    expect(await board.checkuser(machine.card)).toMatchObject({ status: 'reply', reply: { is_valid: true } });
    expect(await board.startuse(machine.card)).toMatchObject({
      status: 'reply',
      reply: { request_ok: true },
    });
  });
});
