import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './processes';

/** The seed file format of `fabomatic seed` (docs/seed.md), the few fields these tests use. */
export interface Seed {
  roles: {
    name: string;
    authorizeAll?: boolean;
    maintenance?: boolean;
    portalAccess?: 'none' | 'read-only' | 'manager' | 'admin';
  }[];
  machineTypes: { name: string; autoLogoffMinutes?: number; graceMinutes?: number }[];
  machines: { topicId: string; name: string; type?: string }[];
  members: {
    name: string;
    surname?: string;
    role: string;
    card?: string;
    email?: string;
    password?: string;
  }[];
  authorizations: { member: string; machine: string }[];
}

/** A lab of `count` machines (topic ids from `firstTopicId`), each with its own authorized card. */
export function labSeed(count: number, firstTopicId = 1): { seed: Seed; machines: LabMachine[] } {
  const machines = Array.from({ length: count }, (_, i): LabMachine => {
    const topicId = String(firstTopicId + i);
    return { topicId, card: `e2e0${(i + 1).toString(16).padStart(4, '0')}` };
  });
  return {
    machines,
    seed: {
      roles: [{ name: 'Users' }],
      machineTypes: [{ name: 'Printer', autoLogoffMinutes: 1440, graceMinutes: 2 }],
      machines: machines.map((m) => ({ topicId: m.topicId, name: `Machine ${m.topicId}`, type: 'Printer' })),
      members: machines.map((m, i) => ({
        name: `Member${i + 1}`,
        surname: 'E2e',
        role: 'Users',
        card: m.card,
      })),
      authorizations: machines.map((m) => ({ member: m.card, machine: m.topicId })),
    },
  };
}

export interface LabMachine {
  readonly topicId: string;
  /** The card (8 lower-case hex chars) authorized on this machine only. */
  readonly card: string;
}

/** Writes the seed in `dir` and loads it with `fabomatic seed` (which also runs the migrations). */
export async function seedDatabase(dir: string, databaseUrl: string, seed: Seed): Promise<void> {
  const file = join(dir, 'seed.json');
  writeFileSync(file, JSON.stringify(seed, null, 2));
  await runCli(['seed', file], { DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' });
}

export const BOARD_ACCOUNT = { username: 'e2e-board', password: 'e2e-board-secret' } as const;
export const BACKEND_ACCOUNT = { username: 'e2e-backend', password: 'e2e-backend-secret' } as const;

/** Environment of the app with its embedded broker on 127.0.0.1:`brokerPort`, with both accounts. */
export function embeddedBrokerEnv(brokerPort: number): Record<string, string> {
  return {
    BROKER_HOST: '127.0.0.1',
    BROKER_PORT: String(brokerPort),
    BOARD_MQTT_USERNAME: BOARD_ACCOUNT.username,
    BOARD_MQTT_PASSWORD: BOARD_ACCOUNT.password,
    BACKEND_MQTT_USERNAME: BACKEND_ACCOUNT.username,
    BACKEND_MQTT_PASSWORD: BACKEND_ACCOUNT.password,
    // The simulated boards all connect from 127.0.0.1 and some specs flood on purpose.
    BROKER_MAX_CONNECTIONS_PER_IP: '100000',
    BOARD_RATE_LIMIT_BURST: '100000',
    BOARD_RATE_LIMIT_PER_SECOND: '100000',
  };
}

let clientSequence = 0;
/** A unique MQTT client id (the firmware's `BOARD<0..999>` default collides). */
export function uniqueClientId(label: string): string {
  clientSequence += 1;
  return `e2e-${label}-${process.pid}-${clientSequence}`;
}
