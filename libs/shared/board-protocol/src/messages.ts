/**
 * The queries a Fab-O-Matic board publishes on `<root>/<id>`, as a discriminated union on `action`.
 * Field names follow the firmware; values are already normalised by the parser.
 */
export const BOARD_ACTIONS = [
  'checkuser',
  'checkmachine',
  'alive',
  'startuse',
  'inuse',
  'stopuse',
  'maintenance',
] as const;

export type BoardAction = (typeof BOARD_ACTIONS)[number];

export interface CheckUserQuery {
  readonly action: 'checkuser';
  readonly uid: string;
}
export interface CheckMachineQuery {
  readonly action: 'checkmachine';
}
export interface AliveQuery {
  readonly action: 'alive';
  /** e.g. `hardware-rev0-it_IT,1.0.1-3-g0ab6099`; missing on very old firmware. */
  readonly version: string | null;
  /** Dotted quad; firmware before mid-2024 sent only its first character. */
  readonly ip: string | null;
  /** 12 hex chars (the MAC), lower case; missing before firmware 0.6.7. */
  readonly serial: string | null;
  /** Free heap in bytes; sent as a string by the firmware. */
  readonly heap: number | null;
}
export interface StartUseQuery {
  readonly action: 'startuse';
  readonly uid: string;
  readonly replay: boolean;
}
export interface InUseQuery {
  readonly action: 'inuse';
  readonly uid: string;
  /** Seconds since the board logged the member in. */
  readonly duration: number;
}
export interface StopUseQuery {
  readonly action: 'stopuse';
  readonly uid: string;
  /** Seconds since the board logged the member in (the only reliable time in a replay). */
  readonly duration: number;
  readonly replay: boolean;
}
export interface MaintenanceQuery {
  readonly action: 'maintenance';
  readonly uid: string;
  readonly replay: boolean;
}

export type BoardQuery =
  | CheckUserQuery
  | CheckMachineQuery
  | AliveQuery
  | StartUseQuery
  | InUseQuery
  | StopUseQuery
  | MaintenanceQuery;

/** The card a board reports when no card is involved (remote stop on a free machine). */
export const NO_CARD_UID = '00000000';
