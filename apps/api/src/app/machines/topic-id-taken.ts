import { conflict } from '../../core/http/api-error';
import type { Machine } from './machine.entity';

/** 409 TOPIC_ID_TAKEN naming the machine that has the topic id (the machine form and the board bind). */
export const topicIdTaken = (holder: Pick<Machine, 'name' | 'topicId'>) =>
  conflict('TOPIC_ID_TAKEN', `machine ${holder.name} already has topic id ${holder.topicId}`, {
    field: 'topicId',
    topicId: holder.topicId,
    machine: holder.name,
  });
