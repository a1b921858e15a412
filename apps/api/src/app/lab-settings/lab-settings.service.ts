import { Injectable } from '@nestjs/common';
import type { LabSettingsDto } from '@fabomatic/contracts';
import { In } from 'typeorm';
import { PortalReads } from '../../core/database/portal-reads';
import { UnitOfWork } from '../../core/database/unit-of-work';
import { type AuditActor, AuditService } from '../audit/audit.service';
import { LabSetting } from './lab-setting.entity';

/** Every setting with its default: a key absent from the table has its default. */
const DEFAULTS: LabSettingsDto = { labName: null, kioskShowsFirstNames: false };
const KEYS = Object.keys(DEFAULTS) as (keyof LabSettingsDto)[];

function parsed(rows: readonly LabSetting[]): LabSettingsDto {
  const settings: Record<string, unknown> = { ...DEFAULTS };
  for (const row of rows) {
    if (!(KEYS as string[]).includes(row.key)) continue;
    try {
      const value: unknown = JSON.parse(row.value);
      if (typeof value === typeof DEFAULTS[row.key as keyof LabSettingsDto] || value === null)
        settings[row.key] = value;
    } catch {
      // A value that is not JSON reads as the default.
    }
  }
  return settings as unknown as LabSettingsDto;
}

/** How long a read is reused: another instance's change is seen within this (scale-out). */
const CACHE_MS = 10_000;

/**
 * The lab's settings kept in the database (issue 14), as opposed to the environment's: read by
 * anyone signed in to the staff portal, changed by managers, audited. Cached for {@link CACHE_MS}
 * (a kiosk asks on every update); a change here replaces the cache after its commit.
 */
@Injectable()
export class LabSettingsService {
  private cached: Promise<LabSettingsDto> | null = null;
  private cachedAt = 0;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly reads: PortalReads,
    private readonly audit: AuditService,
  ) {}

  get(): Promise<LabSettingsDto> {
    if (Date.now() - this.cachedAt > CACHE_MS) this.cached = null;
    if (!this.cached) this.cachedAt = Date.now();
    this.cached ??= this.reads.manager
      .find(LabSetting, { where: { key: In(KEYS) } })
      .then(parsed, (error) => {
        this.cached = null;
        throw error;
      });
    return this.cached;
  }

  async update(actor: AuditActor, changes: Partial<LabSettingsDto>): Promise<LabSettingsDto> {
    const next: Partial<Record<keyof LabSettingsDto, unknown>> = {};
    for (const key of KEYS) if (changes[key] !== undefined) next[key] = changes[key];
    if (typeof next.labName === 'string') next.labName = next.labName.trim() || null;
    const after = await this.uow.run(async (em) => {
      const before = parsed(await em.find(LabSetting, { where: { key: In(KEYS) } }));
      for (const [key, value] of Object.entries(next))
        await em.upsert(LabSetting, { key, value: JSON.stringify(value) }, ['key']);
      const updated = { ...before, ...next } as LabSettingsDto;
      await this.audit.record(em, actor, 'update', 'lab-settings', null, { ...before }, { ...updated });
      return updated;
    });
    this.cached = Promise.resolve(after);
    this.cachedAt = Date.now();
    return after;
  }

  /** Forgets the cache (a restored database, another instance's change: tests). */
  forget(): void {
    this.cached = null;
  }
}
