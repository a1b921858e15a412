import { provideHttpClient, type HttpRequest } from '@angular/common/http';
import {
  HttpTestingController,
  provideHttpClientTesting,
  type TestRequest,
} from '@angular/common/http/testing';
import type { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';

/** A feature's API client over Angular's testing backend, for unit tests of what it sends. */
export function apiUnderTest<T>(client: Type<T>): { readonly api: T; readonly http: HttpTestingController } {
  TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
  return { api: TestBed.inject(client), http: TestBed.inject(HttpTestingController) };
}

/**
 * Answers the one request sent with `method` to `url` (its query string included) with `body`,
 * and gives that request back, so a test can look at what was sent.
 */
export function answer(
  http: HttpTestingController,
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  url: string,
  body: Parameters<TestRequest['flush']>[0] = {},
): HttpRequest<unknown> {
  const sent = http.expectOne({ method, url });
  sent.flush(body);
  return sent.request;
}
