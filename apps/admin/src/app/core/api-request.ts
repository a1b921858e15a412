import type { HttpResourceRequest } from '@angular/common/http';

/** Query parameters as `HttpClient` and `httpResource` take them. */
export type QueryParams = Readonly<
  Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>
>;

/** A GET of `url` with `params`, for an `httpResource` of a feature's API client. */
export function getRequest(url: string, params: QueryParams): HttpResourceRequest {
  return { url, params: { ...params } };
}
