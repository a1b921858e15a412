import type { TrainingRequestDto, TrainingSessionDto } from '@fabomatic/contracts';
import { ApiClient } from '../../testing/api-client';
import { CARDS, LAB_SEED } from '../../testing/lab-seed';
import { mailParts, type MailParts } from '../../testing/mail-parts';
import { SmtpInbox } from '../../testing/smtp-inbox';
import { startTestApp, type TestApp, type TestDatabase } from '../../testing/test-app';
import { hashPassword } from '../auth/password-hashing';
import { Authorization } from '../authorizations/authorization.entity';
import { localToInstant } from '../jobs/lab-week';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { Role } from '../roles/role.entity';
import { CertificationDigest } from './certification-digest';
import { CertificationReminder } from './certification-reminder.entity';
import { CertificationReminders } from './certification-reminders';
import { Trainer } from './trainer.entity';

const TZ = 'Europe/Rome';
const PASSWORD = 'Tessera-Verde-2026';
const DAY = 86_400_000;
/** A lab-local wall-clock time, as an instant. */
const local = (y: number, m: number, d: number, h = 0, min = 0) =>
  localToInstant(Date.UTC(y, m - 1, d, h, min), TZ);

/**
 * Issue 15 notifications: expiry reminders on the right lab days across a daylight-saving change
 * (Europe/Rome moves to summer time on Sunday 28 March 2027), once each, in the member's language;
 * the trainers told of a request; the trainee of a planned session and of its result; the digest.
 */
describe.each<TestDatabase>(['sqlite', 'postgres'])('certification notices on %s', (database) => {
  let lab: TestApp;
  let inbox: SmtpInbox;
  const ids = { lucia: 0, mario: 0, tom: 0, staff: 0, printer: 0, prusa: 0, laser: 0 };
  const setNow = (at: number) => lab.clock.advance(at - lab.clock.now().getTime());
  const settle = () => new Promise((r) => setTimeout(r, 150));
  const mails = (): MailParts[] => inbox.messages.map(mailParts);
  const signIn = async (email: string) => {
    const client = new ApiClient(lab.running.httpUrl);
    const login = await client.login(email, PASSWORD);
    if (login.status !== 200) throw new Error(`login of ${email} failed: ${JSON.stringify(login.body)}`);
    return client;
  };

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    lab = await startTestApp({
      database,
      broker: 'embedded',
      seed: LAB_SEED,
      env: {
        SMTP_URL: inbox.url,
        JOBS_ENABLED: 'false',
        LAB_TIME_ZONE: TZ,
        PUBLIC_URL: 'https://lab.example.org/',
      },
    });
    const source = lab.dataSource;
    const portal = await source
      .getRepository(Role)
      .save(source.getRepository(Role).create({ name: 'Portal members', portalAccess: 'member' }));
    const hash = await hashPassword(PASSWORD);
    const members = source.getRepository(Member);
    await members.update(
      { name: 'Lucía' },
      { email: 'lucia@example.org', language: 'en', passwordHash: hash, roleId: portal.id },
    );
    await members.update(
      { name: 'Mario' },
      { email: 'mario@example.org', language: 'it', passwordHash: hash, roleId: portal.id },
    );
    ids.tom = (
      await members.save(
        members.create({
          name: 'Tom',
          surname: 'Turner',
          email: 'tom@example.org',
          language: 'en',
          passwordHash: hash,
          roleId: portal.id,
          cardUid: 'cafe0001',
        }),
      )
    ).id;
    await members.update({ email: 'staff@example.org' }, { language: 'it' });
    ids.lucia = (await members.findOneByOrFail({ name: 'Lucía' })).id;
    ids.mario = (await members.findOneByOrFail({ name: 'Mario' })).id;
    ids.staff = (await members.findOneByOrFail({ cardUid: CARDS.staff })).id;
    ids.printer = (await source.getRepository(MachineType).findOneByOrFail({ name: 'Printer' })).id;
    ids.prusa = (await source.getRepository(Machine).findOneByOrFail({ topicId: '1' })).id;
    ids.laser = (await source.getRepository(Machine).findOneByOrFail({ topicId: '012' })).id;
    await source
      .getRepository(MachineType)
      .update({ id: ids.printer }, { validityDays: 365, reminderDays: '30,7,1' });
  });
  afterAll(async () => {
    await lab?.stop();
    await inbox?.close();
  });

  it('reminds on 4 March, 27 March and 2 April of an expiry on 3 April 2027, once each, in the member’s language', async () => {
    const authorizations = lab.dataSource.getRepository(Authorization);
    // Valid through Saturday 3 April 2027: it stops granting at 00:00 on 4 April, lab time.
    const expiresAt = new Date(local(2027, 4, 4));
    await authorizations.update(
      { memberId: ids.mario },
      { status: 'active', expiresAt, grantedAt: new Date(local(2026, 4, 4)) },
    );
    await authorizations.update(
      { memberId: ids.lucia, machineId: ids.prusa },
      { expiresAt, grantedAt: new Date(local(2026, 4, 4)) },
    );
    // Staff (a maintenance role) are exempt.
    await authorizations.update({ memberId: ids.staff }, { expiresAt });
    const reminders = lab.running.app.get(CertificationReminders);
    const days: string[] = [];
    for (let day = Date.UTC(2027, 1, 25); day < Date.UTC(2027, 3, 6); day += DAY) {
      const date = new Date(day).toISOString().slice(0, 10);
      // Early, late, and again: one email per member and step.
      for (const [h, m] of [
        [0, 5],
        [23, 55],
        [9, 0],
      ]) {
        const [y, mo, d] = date.split('-').map(Number);
        setNow(local(y, mo, d, h, m));
        const before = inbox.messages.length;
        const result = await reminders.run();
        if (result.sent > 0) days.push(`${result.day}:${result.sent}`);
        expect(result.day).toBe(date);
        await inbox.waitFor(before + result.sent);
      }
    }
    expect(days).toEqual(['2027-03-04:2', '2027-03-27:2', '2027-04-02:2']);
    await settle();
    const received = mails();
    expect(received).toHaveLength(6);
    const toMario = received.filter((m) => m.to.includes('mario@example.org'));
    const toLucia = received.filter((m) => m.to.includes('lucia@example.org'));
    expect(toMario).toHaveLength(3);
    expect(toLucia).toHaveLength(3);
    expect(received.some((m) => m.to.includes('staff@example.org'))).toBe(false);
    // Mario's two machines in one email, in Italian, with the last valid day and the way to renew.
    expect(toMario[0].subject).toBe('FabOMatic: 2 tue autorizzazioni scadono presto');
    expect(toMario[0].text).toContain('Laser Trotec Speedy 400: valida fino a sabato 3 aprile 2027');
    expect(toMario[0].text).toContain('Prusa MK4: valida fino a sabato 3 aprile 2027');
    expect(toMario[0].text).toContain('https://lab.example.org/me/training');
    expect(toLucia[0].subject).toBe('FabOMatic: your authorization for Prusa MK4 expires soon');
    expect(toLucia[0].text).toContain('Prusa MK4: valid through Saturday, 3 April 2027');
    expect(toLucia[0].html).toContain('ask for a refresher training: https://lab.example.org/me/training');
    const recorded = await lab.dataSource.getRepository(CertificationReminder).find();
    expect(recorded.map((r) => r.daysBefore).sort((a, b) => a - b)).toEqual([1, 1, 1, 7, 7, 7, 30, 30, 30]);
  });

  it('after missed runs sends only the latest step due, and a renewal starts the steps again', async () => {
    inbox.messages.length = 0;
    const authorizations = lab.dataSource.getRepository(Authorization);
    // Expires by disuse: 30 days from the last use, on 20 May; the 30- and 7-day steps were missed.
    await lab.dataSource
      .getRepository(MachineType)
      .update({ id: ids.printer }, { validityDays: null, decayDays: 30 });
    await authorizations.update(
      { memberId: ids.lucia, machineId: ids.prusa },
      {
        expiresAt: null,
        grantedAt: new Date(local(2027, 1, 1)),
        lastUsedAt: new Date(local(2027, 4, 20, 10)),
      },
    );
    await authorizations.update({ memberId: ids.mario }, { status: 'suspended' });
    const reminders = lab.running.app.get(CertificationReminders);
    setNow(local(2027, 5, 15, 9));
    expect(await reminders.run()).toMatchObject({ due: 1, sent: 1 });
    await inbox.waitFor(1);
    const [mail] = mails();
    expect(mail.subject).toBe('FabOMatic: your authorization for Prusa MK4 expires soon');
    expect(mail.text).toContain('valid through Thursday, 20 May 2027 unless you use it');
    expect(mail.text).toContain('keeps an authorization that expires by disuse');
    setNow(local(2027, 5, 16, 9));
    expect(await reminders.run()).toMatchObject({ sent: 0 });
    // Used again: a new expiry, its steps start over (its 30-day step, a day late, is sent at once).
    await authorizations.update(
      { memberId: ids.lucia, machineId: ids.prusa },
      { lastUsedAt: new Date(local(2027, 5, 16, 8)) },
    );
    setNow(local(2027, 5, 17, 9));
    expect(await reminders.run()).toMatchObject({ sent: 1 });
    await inbox.waitFor(2);
    expect(mails()[1].text).toContain('valid through Tuesday, 15 June 2027');
    setNow(local(2027, 5, 18, 9));
    expect(await reminders.run()).toMatchObject({ sent: 0 });
    await authorizations.update({ memberId: ids.mario }, { status: 'active' });
    await lab.dataSource
      .getRepository(MachineType)
      .update({ id: ids.printer }, { decayDays: null, reminderDays: '' });
  });

  it('tells the trainers of a request, and the trainee of the planned session and its result', async () => {
    inbox.messages.length = 0;
    setNow(local(2027, 6, 7, 9));
    await lab.dataSource.getRepository(Trainer).save([
      {
        memberId: ids.lucia,
        machineTypeId: ids.printer,
        grantedAt: lab.clock.now(),
        grantedById: null,
        revokedAt: null,
      },
    ]);
    await lab.dataSource.getRepository(Member).update({ id: ids.lucia }, { language: 'it' });
    await lab.dataSource.getRepository(Member).update({ id: ids.mario }, { language: 'en' });
    const lucia = await signIn('lucia@example.org');
    const mario = await signIn('mario@example.org');
    const tom = await signIn('tom@example.org');
    expect(
      (
        await mario.post<TrainingRequestDto>('/api/me/training-requests', {
          machineTypeId: ids.printer,
          note: 'Evenings',
        })
      ).status,
    ).toBe(201);
    await inbox.waitFor(1);
    expect((await tom.post('/api/me/training-requests', { machineTypeId: ids.printer })).status).toBe(201);
    await inbox.waitFor(2);
    const told = mails();
    expect(told.every((m) => m.to.includes('lucia@example.org'))).toBe(true);
    expect(told[0].subject).toBe('FabOMatic: nuova richiesta di corso per Printer');
    expect(told[0].text).toContain('Mario Rossi chiede un corso per Printer.');
    expect(told[0].text).toContain('La sua nota: Evenings');

    inbox.messages.length = 0;
    const startsAt = new Date(local(2027, 6, 10, 18, 30));
    const planned = await lucia.post<TrainingSessionDto>('/api/training-sessions', {
      machineTypeId: ids.printer,
      startsAt: startsAt.toISOString(),
      place: 'Laser room',
      capacity: 1,
      memberIds: [ids.mario],
    });
    expect(planned.status).toBe(201);
    await inbox.waitFor(1);
    expect(mails()[0]).toMatchObject({
      to: ['mario@example.org'],
      subject: 'FabOMatic: your Printer training is planned',
    });
    expect(mails()[0].text).toContain(
      'Your training on Printer is planned on Thursday, 10 June 2027 at 18:30, at Laser room, with Lucía Martínez.',
    );
    // Tom added later: only he is told.
    expect(
      (
        await lucia.patch(`/api/training-sessions/${planned.body.id}`, {
          capacity: 2,
          memberIds: [ids.mario, ids.tom],
        })
      ).status,
    ).toBe(200);
    await inbox.waitFor(2);
    expect(mails()[1].to).toEqual(['tom@example.org']);

    // The digest of the week: the queue and the planned session.
    const digest = await lab.running.app.get(CertificationDigest).run();
    expect(digest.facts.sessions).toEqual([
      expect.objectContaining({
        machineTypeName: 'Printer',
        day: '2027-06-10',
        place: 'Laser room',
        trainees: 2,
      }),
    ]);
    expect(digest.facts.openRequests).toEqual([]);
    expect([...digest.recipients].sort()).toEqual([
      'admin@example.org',
      'boss@example.org',
      'staff@example.org',
    ]);
    await inbox.waitFor(5);

    inbox.messages.length = 0;
    expect(
      (
        await lucia.post(`/api/training-sessions/${planned.body.id}/outcomes`, {
          outcomes: [
            { memberId: ids.mario, outcome: 'qualified' },
            { memberId: ids.tom, outcome: 'absent' },
          ],
          machineIds: [ids.laser],
        })
      ).status,
    ).toBe(200);
    await inbox.waitFor(2);
    const results = mails();
    const toMario = results.find((m) => m.to.includes('mario@example.org'));
    const toTom = results.find((m) => m.to.includes('tom@example.org'));
    expect(toMario?.subject).toBe('FabOMatic: the result of your Printer training');
    expect(toMario?.text).toContain('You qualified in the Printer training');
    expect(toMario?.text).toContain('Laser Trotec Speedy 400');
    expect(toTom?.text).toContain('Your request is back in the queue');

    // The digest now: Tom's request is open again.
    const after = await lab.running.app.get(CertificationDigest).facts(lab.clock.now().getTime());
    expect(after.openRequests).toEqual([{ machineTypeName: 'Printer', count: 1 }]);
  });

  it('lists in the digest the authorizations expiring in the next 30 days, by type, in each language', async () => {
    inbox.messages.length = 0;
    await lab.dataSource
      .getRepository(MachineType)
      .update({ id: ids.printer }, { validityDays: 365, reminderDays: '30,7,1' });
    setNow(local(2027, 3, 20, 7));
    await lab.dataSource
      .getRepository(Authorization)
      .update(
        { memberId: ids.mario, machineId: ids.prusa },
        { status: 'active', expiresAt: new Date(local(2027, 4, 4)) },
      );
    const digest = lab.running.app.get(CertificationDigest);
    const result = await digest.run();
    expect(result.facts.expiring).toEqual([
      {
        machineTypeName: 'Printer',
        items: [{ memberName: 'Mario Rossi', machineName: 'Prusa MK4', lastDay: '2027-04-03' }],
      },
    ]);
    await inbox.waitFor(3);
    const staff = mails().find((m) => m.to.includes('staff@example.org'));
    const ada = mails().find((m) => m.to.includes('admin@example.org'));
    expect(ada?.subject).toBe('FabOMatic: certifications and training this week');
    expect(ada?.text).toContain('Mario Rossi, Prusa MK4: valid through Saturday, 3 April 2027');
    expect(ada?.text).toContain('Printer: 1 open request');
    expect(staff?.subject).toBe('FabOMatic: autorizzazioni e corsi di questa settimana');
    expect(staff?.text).toContain('Mario Rossi, Prusa MK4: valida fino a sabato 3 aprile 2027');
    expect(staff?.text).toContain('Printer: 1 richiesta aperta');
  });
});
