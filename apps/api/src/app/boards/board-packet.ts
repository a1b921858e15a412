import type { BoardParseResult, BoardReply } from '@fabomatic/board-protocol';

/**
 * The pattern the transport's deserializer gives every board message (Nest's packet shape); the
 * transport answers them itself through the bound `BoardAnswerer`, not by pattern.
 */
export const BOARD_QUERY_PATTERN = 'board.query';

/** What the transport hands to the board handler: one message of one board. */
export interface BoardPacket {
  readonly topic: string;
  readonly topicId: string;
  /** When the message arrived (ms epoch): replies later than the board waits are not sent. */
  readonly receivedAt: number;
  readonly parsed: BoardParseResult;
}

/** Answers one board message: the reply to send, or null when none must be sent. */
export type BoardAnswerer = (packet: BoardPacket) => Promise<BoardReply | null>;

/** Whether the board waits for an answer to this message. Never to `alive` nor to garbage. */
export function needsReply(parsed: BoardParseResult): boolean {
  if (parsed.ok) return parsed.query.action !== 'alive';
  return parsed.error === 'invalid-fields' && parsed.action !== undefined && parsed.action !== 'alive';
}
