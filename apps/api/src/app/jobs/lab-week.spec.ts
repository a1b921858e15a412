import { loadConfig } from '../../core/config/config.schema';
import { lastFullWeek, localDate, localToInstant } from './lab-week';

const HOUR = 3_600_000;

describe('the lab week', () => {
  it('is the last full Monday-to-Monday week in the lab time zone', () => {
    // Wednesday 2026-02-04 10:00 in Rome (UTC+1).
    const week = lastFullWeek(Date.parse('2026-02-04T09:00:00Z'), 'Europe/Rome');
    expect(new Date(week.from).toISOString()).toBe('2026-01-25T23:00:00.000Z');
    expect(new Date(week.to).toISOString()).toBe('2026-02-01T23:00:00.000Z');
    expect(week.to - week.from).toBe(7 * 24 * HOUR);
    expect([localDate(week.from, 'Europe/Rome'), localDate(week.to - 1, 'Europe/Rome')]).toEqual([
      '2026-01-26',
      '2026-02-01',
    ]);
  });

  it('run at Monday 00:00 covers the week that just ended, not eight days', () => {
    const monday = Date.parse('2026-02-01T23:00:00Z'); // Monday 2 February, 00:00 in Rome
    expect(lastFullWeek(monday, 'Europe/Rome').to).toBe(monday);
    expect(lastFullWeek(monday - 1, 'Europe/Rome').to).toBe(monday - 7 * 24 * HOUR);
  });

  it('has 167 hours across the spring DST change and 169 across the autumn one', () => {
    const spring = lastFullWeek(Date.parse('2026-04-01T10:00:00Z'), 'Europe/Rome');
    expect(new Date(spring.from).toISOString()).toBe('2026-03-22T23:00:00.000Z');
    expect(spring.to - spring.from).toBe(167 * HOUR);
    const autumn = lastFullWeek(Date.parse('2026-10-28T10:00:00Z'), 'Europe/Rome');
    expect(autumn.to - autumn.from).toBe(169 * HOUR);
    expect(localToInstant(Date.UTC(2026, 6, 1), 'Europe/Rome')).toBe(Date.parse('2026-06-30T22:00:00Z'));
  });

  it('validates the job settings at start', () => {
    expect(loadConfig({})).toMatchObject({
      JOBS_ENABLED: true,
      LAB_TIME_ZONE: 'Europe/Rome',
      GDPR_PURGE_CRON: '30 3 * * *',
      WEEKLY_SUMMARY_CRON: '0 7 * * 1',
      MAINTENANCE_NOTICE_CRON: '0 * * * *',
      CERTIFICATION_REMINDER_CRON: '0 8 * * *',
      RETENTION_DAYS: 365,
      UNKNOWN_CARD_RETENTION_DAYS: 30,
      DELETED_MEMBER_GRACE_DAYS: 30,
    });
    expect(loadConfig({ JOBS_ENABLED: 'false', LAB_TIME_ZONE: 'America/New_York' })).toMatchObject({
      JOBS_ENABLED: false,
      LAB_TIME_ZONE: 'America/New_York',
    });
    let message = '';
    try {
      loadConfig({ LAB_TIME_ZONE: 'Mars/Olympus', WEEKLY_SUMMARY_CRON: 'every monday', RETENTION_DAYS: '0' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('LAB_TIME_ZONE: must be an IANA time zone');
    expect(message).toContain('WEEKLY_SUMMARY_CRON: must be a cron expression');
    expect(message).toContain('RETENTION_DAYS');
  });
});
