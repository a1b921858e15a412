import type { DataSource } from 'typeorm';
import { Machine } from '../app/machines/machine.entity';
import { Member } from '../app/members/member.entity';
import { CARDS } from './lab-seed';

/** The ids of `LAB_SEED`'s machines and carded members, as the database gave them. */
export interface LabIds {
  readonly prusa: number;
  readonly laser: number;
  readonly drill: number;
  readonly cnc: number;
  readonly admin: number;
  readonly staff: number;
  readonly lucia: number;
  readonly mario: number;
  readonly disabled: number;
}

/** `LAB_SEED`'s machines by topic id. */
const MACHINE_TOPICS = { prusa: '1', laser: '012', drill: '3', cnc: '4' } as const;

/** Reads the ids of the seeded lab (`startTestApp({ seed: LAB_SEED })`). */
export async function labIds(dataSource: DataSource): Promise<LabIds> {
  const machines = dataSource.getRepository(Machine);
  const members = dataSource.getRepository(Member);
  const machine = async (topicId: string) => (await machines.findOneByOrFail({ topicId })).id;
  const member = async (cardUid: string) => (await members.findOneByOrFail({ cardUid })).id;
  return {
    prusa: await machine(MACHINE_TOPICS.prusa),
    laser: await machine(MACHINE_TOPICS.laser),
    drill: await machine(MACHINE_TOPICS.drill),
    cnc: await machine(MACHINE_TOPICS.cnc),
    admin: await member(CARDS.admin),
    staff: await member(CARDS.staff),
    lucia: await member(CARDS.lucia),
    mario: await member(CARDS.mario),
    disabled: await member(CARDS.disabled),
  };
}
