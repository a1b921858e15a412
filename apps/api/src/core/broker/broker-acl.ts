import { timingSafeEqual } from 'node:crypto';
import { isValidTopicId } from '@fabomatic/board-protocol';

export type BrokerRole = 'board' | 'backend';

export interface BrokerAccounts {
  readonly board?: { readonly username: string; readonly password: string };
  readonly backend: { readonly username: string; readonly password: string };
  readonly allowAnonymousBoards: boolean;
}

function sameSecret(given: Buffer | undefined, expected: string): boolean {
  if (!given) return false;
  const wanted = Buffer.from(expected);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/** Which role a CONNECT gets, or null to refuse it (bad credentials, or anonymous not allowed). */
export function authenticateClient(
  accounts: BrokerAccounts,
  username: string | undefined,
  password: Buffer | undefined,
): BrokerRole | null {
  if (!username) return accounts.allowAnonymousBoards ? 'board' : null;
  if (username === accounts.backend.username) {
    return sameSecret(password, accounts.backend.password) ? 'backend' : null;
  }
  if (accounts.board && username === accounts.board.username) {
    return sameSecret(password, accounts.board.password) ? 'board' : null;
  }
  return null;
}

function boardTopicParts(topic: string, root: string): string[] | null {
  if (!topic.startsWith(`${root}/`)) return null;
  const parts = topic.slice(root.length + 1).split('/');
  return parts[0] !== undefined && isValidTopicId(parts[0]) ? parts : null;
}

/**
 * Boards may publish only their queries (`<root>/<id>`): never on `/reply` (the first reply wins on
 * the board, so a rogue reply could grant any card) nor on `/request` (remote start).
 */
export function mayPublish(role: BrokerRole, topic: string, root: string): boolean {
  if (role === 'backend') return true;
  const parts = boardTopicParts(topic, root);
  return parts !== null && parts.length === 1;
}

/** Boards may subscribe only to a board's `/reply` and `/request`, without wildcards. */
export function maySubscribe(role: BrokerRole, topic: string, root: string): boolean {
  if (role === 'backend') return true;
  const parts = boardTopicParts(topic, root);
  return parts !== null && parts.length === 2 && (parts[1] === 'reply' || parts[1] === 'request');
}

/** The board id of a query topic (`<root>/<id>`), or null for any other topic. */
export function boardQueryTopicId(topic: string, root: string): string | null {
  const parts = boardTopicParts(topic, root);
  return parts !== null && parts.length === 1 ? (parts[0] ?? null) : null;
}

/** The board id of a board's `/reply` or `/request` topic, or null for any other topic. */
export function boardListenTopicId(topic: string, root: string): string | null {
  const parts = boardTopicParts(topic, root);
  return parts !== null && parts.length === 2 ? (parts[0] ?? null) : null;
}

/**
 * Whether a board connection may use (publish on, or listen to) board topic `topicId`: a per-board
 * account only its own topic; the shared account (or an anonymous board) only topics that have no
 * account of their own, so the shared password cannot speak for a machine with its own credentials.
 */
export function mayUseBoardTopic(
  topicId: string,
  ownTopicId: string | undefined,
  hasOwnAccount: (topicId: string) => boolean,
): boolean {
  return ownTopicId !== undefined ? topicId === ownTopicId : !hasOwnAccount(topicId);
}
