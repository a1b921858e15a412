import { writeFileSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { join } from 'node:path';
import { type Child, baseEnv, spawnChild, waitFor } from './processes';

export const MOSQUITTO_BIN = '/usr/sbin/mosquitto';

/** Writes a Mosquitto config: anonymous, no persistence, one listener on 127.0.0.1:`port`. */
export function writeMosquittoConfig(dir: string, port: number): string {
  const file = join(dir, 'mosquitto.conf');
  writeFileSync(
    file,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'log_dest stderr',
      'log_type error',
      'log_type warning',
      'log_type notice',
      '',
    ].join('\n'),
  );
  return file;
}

export function spawnMosquitto(configFile: string): Child {
  return spawnChild('mosquitto', MOSQUITTO_BIN, ['-c', configFile], baseEnv({}));
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
export function isListening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/** Resolves once Mosquitto listens; throws with its output if it exits or never does. */
export async function waitListening(child: Child, port: number, timeoutMs = 5000): Promise<void> {
  const ok = await waitFor(async () => !child.alive || (await isListening(port)), timeoutMs, 10);
  if (!ok || !child.alive) throw new Error(`mosquitto is not listening on ${port}:\n${child.output()}`);
}
