/**
 * The first-start checklist (issue 12), in the order a new lab takes it: each step links to its
 * page in the portal and is done once the lab's data show it.
 */
export const SETUP_STEPS = ['machine-type', 'machine', 'role', 'member', 'authorization', 'board'] as const;
export type SetupStep = (typeof SETUP_STEPS)[number];

/** `GET /api/setup/progress` (staff): what is done, from the current state; `complete` when all are. */
export interface SetupProgressDto {
  readonly steps: readonly { readonly step: SetupStep; readonly done: boolean }[];
  readonly complete: boolean;
}

/**
 * Which credentials a board on a topic uses to reach the broker: its own account (issued on the
 * Boards page), the shared board account (BOARD_MQTT_USERNAME), none needed (anonymous allowed),
 * none at all (it cannot connect), or whatever the external broker's own accounts say.
 */
export type BoardCredentials = 'board-account' | 'shared' | 'anonymous' | 'missing' | 'external-broker';

/** Where a board's broker address came from: a setting, the broker's own, PUBLIC_URL, or the browser's. */
export type BrokerHostSource = 'setting' | 'broker' | 'public-url' | 'browser';

/** `GET /api/machines/:id/board-connection` (staff): what to set in the machine's board. */
export interface BoardConnectionDto {
  readonly machineId: number;
  readonly topicId: string;
  /** The full MQTT topic the board publishes on (`<MQTT_TOPIC_ROOT>/<topic id>`). */
  readonly topic: string;
  readonly broker: {
    /** Host (or address) boards reach the broker at; null: the host this page was loaded from. */
    readonly host: string | null;
    readonly hostSource: BrokerHostSource;
    readonly port: number;
    readonly tls: boolean;
    readonly embedded: boolean;
  };
  readonly credentials: BoardCredentials;
  /** The broker user name the board uses, when the app knows it (never a password). */
  readonly username: string | null;
  /** When the topic's own account was issued (credentials `board-account`). */
  readonly accountIssuedAt: string | null;
}
