import type { ExpiryCause } from '@fabomatic/contracts';
import type { MailMessage } from '../../core/mail/mailer';
import { type EmailLanguage, formatDay, htmlEmail, textEmail } from '../jobs/email-format';

/** One machine in a member's reminder: its last valid day (lab-local `2027-04-03`) and why it ends. */
export interface ReminderItem {
  readonly machineName: string;
  readonly lastDay: string;
  readonly cause: ExpiryCause;
}

const TEXTS = {
  en: {
    subject: (items: readonly ReminderItem[]) =>
      items.length === 1
        ? `FabOMatic: your authorization for ${items[0].machineName} expires soon`
        : `FabOMatic: ${items.length} of your authorizations expire soon`,
    hello: (name: string) => `Hello ${name},`,
    intro: 'these authorizations of yours expire soon:',
    item: (i: ReminderItem, day: string) =>
      i.cause === 'disuse'
        ? `${i.machineName}: valid through ${day} unless you use it (each session renews it)`
        : `${i.machineName}: valid through ${day}`,
    use: 'Using a machine of the same type before then keeps an authorization that expires by disuse.',
    refresher: (url: string) => `To renew it, ask for a refresher training: ${url}`,
  },
  it: {
    subject: (items: readonly ReminderItem[]) =>
      items.length === 1
        ? `FabOMatic: la tua autorizzazione per ${items[0].machineName} scade presto`
        : `FabOMatic: ${items.length} tue autorizzazioni scadono presto`,
    hello: (name: string) => `Ciao ${name},`,
    intro: 'queste tue autorizzazioni scadono presto:',
    item: (i: ReminderItem, day: string) =>
      i.cause === 'disuse'
        ? `${i.machineName}: valida fino a ${day} se non la usi (ogni sessione la rinnova)`
        : `${i.machineName}: valida fino a ${day}`,
    use: 'Usare una macchina dello stesso tipo prima di allora mantiene un’autorizzazione che scade per inutilizzo.',
    refresher: (url: string) => `Per rinnovarla, chiedi un corso di aggiornamento: ${url}`,
  },
} as const;

/** The expiry reminder to a member, in their language: every machine due that day in one email. */
export function certificationReminderEmail(
  to: string,
  name: string,
  language: EmailLanguage,
  items: readonly ReminderItem[],
  trainingUrl: string,
): MailMessage {
  const t = TEXTS[language];
  const lines = items.map((i) => t.item(i, formatDay(i.lastDay, language)));
  const closing = [...(items.some((i) => i.cause === 'disuse') ? [t.use] : []), t.refresher(trainingUrl)];
  const blocks = [{ paragraphs: [t.hello(name), t.intro], items: lines, closing }];
  return { to, subject: t.subject(items), text: textEmail(blocks), html: htmlEmail(blocks) };
}
