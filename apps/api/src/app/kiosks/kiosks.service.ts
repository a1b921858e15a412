import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { CreatedKioskDto, KioskDto, KioskInput } from '@fabomatic/contracts';
import { In } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { ApiError, notFound } from '../../core/http/api-error';
import { Clock } from '../../core/time/clock';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { Member } from '../members/member.entity';
import { Kiosk } from './kiosk.entity';
import { kioskTokenHash, looksLikeKioskToken, newKioskToken } from './kiosk-token';

/** `lastUsedAt` is written at most this often per kiosk (a screen reconnects, reloads…). */
const TOUCH_MS = 60_000;

/** Why a token does not open the kiosk: the API's 401 code. */
export type KioskRefusal = 'KIOSK_TOKEN_INVALID' | 'KIOSK_TOKEN_REVOKED';

export const kioskRefused = (code: KioskRefusal) =>
  new ApiError(
    HttpStatus.UNAUTHORIZED,
    code,
    code === 'KIOSK_TOKEN_REVOKED' ? 'this kiosk was revoked' : 'unknown kiosk token',
  );

function toDto(kiosk: Kiosk, creators: ReadonlyMap<number, string>): KioskDto {
  return {
    id: kiosk.id,
    name: kiosk.name,
    createdBy: kiosk.createdById === null ? null : (creators.get(kiosk.createdById) ?? null),
    createdAt: kiosk.createdAt.toISOString(),
    lastUsedAt: kiosk.lastUsedAt?.toISOString() ?? null,
    revokedAt: kiosk.revokedAt?.toISOString() ?? null,
  };
}

/**
 * Kiosk tokens (issue 14): created by managers (the token shown once), revoked at once (the
 * kiosk's sockets on this instance are closed; other instances' at their next re-check), and
 * checked on every kiosk request and socket.
 */
@Injectable()
export class KiosksService {
  private readonly revokedListeners = new Set<(kioskId: number) => void>();
  private readonly touched = new Map<number, number>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<KioskDto[]> {
    const kiosks = await this.reads.manager.find(Kiosk, { order: { createdAt: 'DESC', id: 'DESC' } });
    return this.named(kiosks);
  }

  async create(actor: AuditActor, input: KioskInput): Promise<CreatedKioskDto> {
    const token = newKioskToken();
    const kiosk = await this.uow.run(async (em) => {
      const created = await em.save(
        em.create(Kiosk, {
          name: input.name.trim(),
          tokenHash: kioskTokenHash(token),
          createdById: typeof actor === 'object' ? actor.id : null,
          createdAt: this.clock.now(),
          lastUsedAt: null,
          revokedAt: null,
        }),
      );
      await this.audit.record(em, actor, 'create', 'kiosk', created.id, null, created);
      return created;
    });
    const [dto] = await this.named([kiosk]);
    const base = (this.config.PUBLIC_URL ?? `http://localhost:${this.config.PORT}`).replace(/\/$/, '');
    return { ...dto, token, url: `${base}/kiosk#token=${token}` };
  }

  /** Revokes a kiosk (again: no change). Its open sockets are closed. */
  async revoke(actor: AuditActor, id: number): Promise<KioskDto> {
    const kiosk = await this.uow.run(async (em) => {
      const found = await em.findOneBy(Kiosk, { id });
      if (!found) throw notFound('kiosk');
      if (found.revokedAt) return found;
      const before = { ...found };
      found.revokedAt = this.clock.now();
      await em.save(found);
      await this.audit.record(em, actor, 'revoke', 'kiosk', found.id, before, found);
      return found;
    });
    for (const listener of this.revokedListeners) listener(kiosk.id);
    const [dto] = await this.named([kiosk]);
    return dto;
  }

  /** Called with a kiosk's id when it is revoked here. */
  onRevoked(listener: (kioskId: number) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /**
   * The kiosk a token opens, or why not. `touch` records the use (at most once a minute):
   * the kiosk's page load and socket connections, not its socket's re-checks.
   */
  async authenticate(token: unknown, touch = true): Promise<Kiosk | KioskRefusal> {
    if (!looksLikeKioskToken(token)) return 'KIOSK_TOKEN_INVALID';
    const kiosk = await this.reads.manager.findOneBy(Kiosk, { tokenHash: kioskTokenHash(token) });
    if (!kiosk) return 'KIOSK_TOKEN_INVALID';
    if (kiosk.revokedAt) return 'KIOSK_TOKEN_REVOKED';
    if (touch) await this.touch(kiosk);
    return kiosk;
  }

  /** Whether kiosk `id` is still valid (not revoked, not deleted): a socket's re-check. */
  async valid(id: number): Promise<boolean> {
    const kiosk = await this.reads.manager.findOneBy(Kiosk, { id });
    return kiosk !== null && kiosk.revokedAt === null;
  }

  private async touch(kiosk: Kiosk): Promise<void> {
    const now = this.clock.now();
    const last = this.touched.get(kiosk.id) ?? kiosk.lastUsedAt?.getTime() ?? 0;
    if (now.getTime() - last < TOUCH_MS) return;
    this.touched.set(kiosk.id, now.getTime());
    await this.uow.run((em) => em.update(Kiosk, { id: kiosk.id }, { lastUsedAt: now }));
  }

  private async named(kiosks: readonly Kiosk[]): Promise<KioskDto[]> {
    const ids = [...new Set(kiosks.map((k) => k.createdById).filter((id): id is number => id !== null))];
    const members =
      ids.length === 0
        ? []
        : await this.reads.manager.find(Member, {
            select: { id: true, name: true, surname: true },
            where: { id: In(ids) },
          });
    const creators = new Map(members.map((m) => [m.id, `${m.name} ${m.surname}`.trim()]));
    return kiosks.map((k) => toDto(k, creators));
  }
}
