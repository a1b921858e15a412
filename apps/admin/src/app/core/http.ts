import type { HttpInterceptorFn } from '@angular/common/http';
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@fabomatic/contracts';

/** Every state-changing request carries the CSRF header the API requires (docs/adr/0003). */
export const csrfHeader: HttpInterceptorFn = (request, next) =>
  next(
    request.method === 'GET' ? request : request.clone({ setHeaders: { [CSRF_HEADER]: CSRF_HEADER_VALUE } }),
  );
