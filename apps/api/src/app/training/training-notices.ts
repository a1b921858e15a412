import { Inject, Injectable, Logger } from '@nestjs/common';
import type { TrainingOutcome } from '@fabomatic/contracts';
import { In, IsNull } from 'typeorm';
import { APP_CONFIG } from '../../core/config/config.module';
import type { AppConfig } from '../../core/config/config.schema';
import { PortalReads } from '../../core/database/portal-reads';
import { Mailer, type MailMessage } from '../../core/mail/mailer';
import { MachineType } from '../machine-types/machine-type.entity';
import { Machine } from '../machines/machine.entity';
import { Member } from '../members/member.entity';
import { fullName } from '../usage/activity-query';
import { type EmailLanguage, emailLanguage, formatDay, htmlEmail, textEmail } from '../jobs/email-format';
import { localDate } from '../jobs/lab-week';
import { trainingPageUrl } from './certification-reminders';
import { Trainer } from './trainer.entity';
import { TrainingRequest } from './training-request.entity';
import { TrainingSession } from './training-session.entity';

const TEXTS = {
  en: {
    hello: (name: string) => `Hello ${name},`,
    requestSubject: (type: string) => `FabOMatic: new training request for ${type}`,
    request: (member: string, type: string) => `${member} asks for training on ${type}.`,
    note: (note: string) => `Their note: ${note}`,
    queue: (url: string) => `The queue of your trainings: ${url}`,
    plannedSubject: (type: string) => `FabOMatic: your ${type} training is planned`,
    planned: (type: string, day: string, time: string, place: string, trainer: string) =>
      `Your training on ${type} is planned on ${day} at ${time}, at ${place}, with ${trainer}.`,
    resultSubject: (type: string) => `FabOMatic: the result of your ${type} training`,
    qualified: (type: string) => `You qualified in the ${type} training: you may now use these machines:`,
    notQualified: (type: string) =>
      `You did not qualify in the ${type} training this time. Your request is back in the queue: a trainer will plan another session.`,
    absent: (type: string) =>
      `You were marked absent from the ${type} training. Your request is back in the queue: a trainer will plan another session.`,
    portal: (url: string) => `Your trainings: ${url}`,
  },
  it: {
    hello: (name: string) => `Ciao ${name},`,
    requestSubject: (type: string) => `FabOMatic: nuova richiesta di corso per ${type}`,
    request: (member: string, type: string) => `${member} chiede un corso per ${type}.`,
    note: (note: string) => `La sua nota: ${note}`,
    queue: (url: string) => `La coda dei tuoi corsi: ${url}`,
    plannedSubject: (type: string) => `FabOMatic: il tuo corso per ${type} è in programma`,
    planned: (type: string, day: string, time: string, place: string, trainer: string) =>
      `Il tuo corso per ${type} è in programma ${day} alle ${time}, presso ${place}, con ${trainer}.`,
    resultSubject: (type: string) => `FabOMatic: l’esito del tuo corso per ${type}`,
    qualified: (type: string) => `Hai superato il corso per ${type}: ora puoi usare queste macchine:`,
    notQualified: (type: string) =>
      `Questa volta non hai superato il corso per ${type}. La tua richiesta torna in coda: un formatore programmerà un’altra sessione.`,
    absent: (type: string) =>
      `Sei risultato assente al corso per ${type}. La tua richiesta torna in coda: un formatore programmerà un’altra sessione.`,
    portal: (url: string) => `I tuoi corsi: ${url}`,
  },
} as const;

const mail = (to: string, subject: string, paragraphs: string[], items?: string[], closing?: string[]) => {
  const blocks = [{ paragraphs, items, closing }];
  return { to, subject, text: textEmail(blocks), html: htmlEmail(blocks) } satisfies MailMessage;
};

/** A member who may get email: with an address, not disabled, not deleted. */
const mailable = { disabled: false, deletedAt: IsNull() } as const;

/**
 * The training emails (issue 15), sent after the change is committed, in each recipient's language:
 * a type's trainers hear of a new request; a trainee of a planned session and of its result. A
 * failure is logged and never fails the request that caused it (callers do not await the sending).
 */
@Injectable()
export class TrainingNotices {
  private readonly logger = new Logger('TrainingNotices');

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'LAB_TIME_ZONE' | 'PUBLIC_URL' | 'PORT'>,
    private readonly reads: PortalReads,
    private readonly mailer: Mailer,
  ) {}

  /** Fire and forget: the caller's response does not wait for the mail server. */
  private later(what: string, work: () => Promise<void>): void {
    if (!this.mailer.configured) return;
    void work().catch((error: unknown) =>
      this.logger.error(`${what} not sent: ${error instanceof Error ? error.message : String(error)}`),
    );
  }

  private async send(messages: readonly MailMessage[], what: string): Promise<void> {
    for (const message of messages) {
      try {
        await this.mailer.send(message);
      } catch (error) {
        this.logger.error(`${what} to a recipient failed: ${String(error)}`);
      }
    }
  }

  requestCreated(requestId: number): void {
    this.later('training request notice', async () => {
      const em = this.reads.manager;
      const request = await em.findOneByOrFail(TrainingRequest, { id: requestId });
      const [member, type] = await Promise.all([
        em.findOneByOrFail(Member, { id: request.memberId }),
        em.findOneByOrFail(MachineType, { id: request.machineTypeId }),
      ]);
      const trainerIds = (await em.findBy(Trainer, { machineTypeId: type.id, revokedAt: IsNull() })).map(
        (t) => t.memberId,
      );
      if (trainerIds.length === 0) return;
      const trainers = await em.findBy(Member, { id: In(trainerIds), ...mailable });
      const url = trainingPageUrl(this.config);
      const messages = trainers.flatMap((trainer) => {
        if (!trainer.email || trainer.id === member.id) return [];
        const t = TEXTS[emailLanguage(trainer.language)];
        return [
          mail(trainer.email, t.requestSubject(type.name), [
            t.hello(trainer.name),
            t.request(fullName(member), type.name),
            ...(request.note ? [t.note(request.note)] : []),
            t.queue(url),
          ]),
        ];
      });
      await this.send(messages, 'training request notice');
    });
  }

  sessionPlanned(sessionId: number, memberIds: readonly number[]): void {
    if (memberIds.length === 0) return;
    this.later('training planned notice', async () => {
      const em = this.reads.manager;
      const session = await em.findOneByOrFail(TrainingSession, { id: sessionId });
      const [type, trainer, members] = await Promise.all([
        em.findOneByOrFail(MachineType, { id: session.machineTypeId }),
        em.findOneBy(Member, { id: session.trainerId }),
        em.findBy(Member, { id: In([...memberIds]), ...mailable }),
      ]);
      const tz = this.config.LAB_TIME_ZONE;
      const at = session.startsAt.getTime();
      const messages = members.flatMap((m) => {
        if (!m.email) return [];
        const language = emailLanguage(m.language);
        const t = TEXTS[language];
        return [
          mail(m.email, t.plannedSubject(type.name), [
            t.hello(m.name),
            t.planned(
              type.name,
              formatDay(localDate(at, tz), language),
              localTime(at, tz, language),
              session.place,
              trainer ? fullName(trainer) : '',
            ),
            t.portal(trainingPageUrl(this.config)),
          ]),
        ];
      });
      await this.send(messages, 'training planned notice');
    });
  }

  sessionResult(
    sessionId: number,
    outcomes: ReadonlyMap<number, TrainingOutcome>,
    machineIds: readonly number[],
  ): void {
    if (outcomes.size === 0) return;
    this.later('training result notice', async () => {
      const em = this.reads.manager;
      const session = await em.findOneByOrFail(TrainingSession, { id: sessionId });
      const [type, members, machines] = await Promise.all([
        em.findOneByOrFail(MachineType, { id: session.machineTypeId }),
        em.findBy(Member, { id: In([...outcomes.keys()]), ...mailable }),
        machineIds.length
          ? em.find(Machine, { where: { id: In([...machineIds]) }, order: { name: 'ASC' } })
          : Promise.resolve([]),
      ]);
      const url = trainingPageUrl(this.config);
      const messages = members.flatMap((m) => {
        const outcome = outcomes.get(m.id);
        if (!m.email || !outcome || outcome === 'pending') return [];
        const t = TEXTS[emailLanguage(m.language)];
        const hello = t.hello(m.name);
        return outcome === 'qualified'
          ? [
              mail(
                m.email,
                t.resultSubject(type.name),
                [hello, t.qualified(type.name)],
                machines.map((x) => x.name),
                [t.portal(url)],
              ),
            ]
          : [
              mail(m.email, t.resultSubject(type.name), [
                hello,
                outcome === 'absent' ? t.absent(type.name) : t.notQualified(type.name),
                t.portal(url),
              ]),
            ];
      });
      await this.send(messages, 'training result notice');
    });
  }
}

/** `14:30` in the lab's time zone. */
function localTime(at: number, timeZone: string, language: EmailLanguage): string {
  return new Intl.DateTimeFormat(language === 'it' ? 'it-IT' : 'en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone,
  }).format(new Date(at));
}
