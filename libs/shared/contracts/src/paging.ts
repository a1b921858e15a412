/** Query of every list endpoint: `?page=1&pageSize=25&sort=name&order=asc&q=text` plus filters. */
export interface PageQuery {
  readonly page?: number;
  readonly pageSize?: number;
  readonly sort?: string;
  readonly order?: 'asc' | 'desc';
  readonly q?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
