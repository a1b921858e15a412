import type { EntityManager } from 'typeorm';
import { Authorization } from '../authorizations/authorization.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import type { Role } from '../roles/role.entity';

/** Look-ups the board handlers need, each one indexed query. */
export function findMachineByTopic(em: EntityManager, topicId: string): Promise<Machine | null> {
  return em.findOne(Machine, { where: { topicId }, relations: { type: true } });
}

export async function findMemberByCard(
  em: EntityManager,
  cardUid: string,
): Promise<(Member & { role: Role }) | null> {
  const member = await em.findOne(Member, { where: { cardUid }, relations: { role: true } });
  return member?.role ? (member as Member & { role: Role }) : null;
}

export function findAuthorization(em: EntityManager, memberId: number, machineId: number) {
  return em.findOneBy(Authorization, { memberId, machineId });
}
