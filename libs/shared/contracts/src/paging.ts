/** Query of every list endpoint: `?page=1&pageSize=25&sort=name&order=asc&q=text` plus filters. */
export interface PageQuery {
  readonly page?: number;
  readonly pageSize?: number;
  readonly sort?: string;
  readonly order?: 'asc' | 'desc';
  readonly q?: string;
  /**
   * History lists (usage sessions, access events, audit log) and unknown cards: the `nextCursor` or
   * `prevCursor` of the page shown, to read the page after or before it by keyset (unknown cards
   * below the manager level: by position); `page` is then only echoed.
   */
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Rows the filters select; history lists count at most COUNT_LIMIT of them (see `totalExact`). */
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  /** False when more than `total` rows match: a history list stopped counting at COUNT_LIMIT. */
  readonly totalExact?: boolean;
  /** History lists: the cursor of the page after this one, null on the last page. */
  readonly nextCursor?: string | null;
  /** History lists: the cursor of the page before this one, null on the first page. */
  readonly prevCursor?: string | null;
}

/** History lists count up to this many rows, then report `total: COUNT_LIMIT, totalExact: false`. */
export const COUNT_LIMIT = 1000;

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
