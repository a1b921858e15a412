import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { KIOSK_AUTH_SCHEME } from '@fabomatic/contracts';
import type { Request } from 'express';
import type { Kiosk } from './kiosk.entity';
import { KiosksService, kioskRefused } from './kiosks.service';

/** A request the kiosk guard let through, with its kiosk. */
export interface KioskRequest extends Request {
  kiosk?: Kiosk;
}

/** The token of `Authorization: Kiosk <token>`, else undefined. */
export function kioskTokenOf(header: string | undefined): string | undefined {
  const [scheme, token, ...rest] = (header ?? '').trim().split(/\s+/);
  return scheme?.toLowerCase() === KIOSK_AUTH_SCHEME.toLowerCase() && token && rest.length === 0
    ? token
    : undefined;
}

/**
 * The kiosk's routes (@Public: no staff session): a valid kiosk token in `Authorization`, else
 * 401 KIOSK_TOKEN_INVALID (unknown or missing) or KIOSK_TOKEN_REVOKED.
 */
@Injectable()
export class KioskTokenGuard implements CanActivate {
  constructor(private readonly kiosks: KiosksService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<KioskRequest>();
    const kiosk = await this.kiosks.authenticate(kioskTokenOf(request.get('authorization')));
    if (typeof kiosk === 'string') throw kioskRefused(kiosk);
    request.kiosk = kiosk;
    return true;
  }
}
