import { CSRF_HEADER, CSRF_HEADER_VALUE, SESSION_COOKIE } from '@fabomatic/contracts';

export interface ApiResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A browser-like client of the API: keeps the session cookie, sends the CSRF header on writes. */
export class ApiClient {
  private session: string | null = null;

  constructor(
    private readonly baseUrl: string,
    private readonly options: { csrf?: boolean } = {},
  ) {}

  /** Uses a session token opened elsewhere (e.g. straight in the database). */
  useSession(token: string): void {
    this.session = token;
  }

  get signedIn(): boolean {
    return this.session !== null;
  }

  /** The session cookie as a `Cookie` header value (for WebSocket clients). */
  get cookie(): string {
    return this.session ? `${SESSION_COOKIE}=${this.session}` : '';
  }

  async request<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.csrf !== false && method !== 'GET') headers[CSRF_HEADER] = CSRF_HEADER_VALUE;
    if (this.session) headers['cookie'] = `${SESSION_COOKIE}=${this.session}`;
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name === SESSION_COOKIE) this.session = value ? value : null;
    }
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (e.g. the OpenAPI page)
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body ?? {});
  }
  patch<T = unknown>(path: string, body: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = unknown>(path: string) {
    return this.request<T>('DELETE', path);
  }

  async login(email: string, password: string): Promise<ApiResponse> {
    return this.post('/api/auth/login', { email, password });
  }
}
