import type { MailMessage } from '../../core/mail/mailer';
import { type EmailLanguage, htmlEmail, textEmail } from '../jobs/email-format';

/** What an email says of a report. */
export interface ProblemMailFacts {
  readonly machineName: string;
  readonly description: string;
  readonly outOfOrder: boolean;
  readonly reporterName: string;
  readonly resolution: string | null;
}

const TEXTS = {
  en: {
    hello: (name: string) => `Hello ${name},`,
    reportedSubject: (f: ProblemMailFacts) =>
      f.outOfOrder
        ? `FabOMatic: ${f.machineName} reported out of order`
        : `FabOMatic: problem reported on ${f.machineName}`,
    reported: (f: ProblemMailFacts) =>
      `${f.reporterName} reported ${f.outOfOrder ? 'the machine out of order' : 'a problem'} on ${f.machineName}:`,
    reportedOutro: 'Resolve it on the portal’s problem reports page once it is fixed.',
    resolvedSubject: (f: ProblemMailFacts) => `FabOMatic: your report on ${f.machineName} is resolved`,
    resolved: (f: ProblemMailFacts) => `Your report on ${f.machineName} was resolved:`,
    resolution: 'Resolution',
    yourReport: 'Your report',
    outSubject: (f: ProblemMailFacts) => `FabOMatic: ${f.machineName} is out of order`,
    out: (f: ProblemMailFacts) =>
      `${f.machineName}, which you used recently, is out of order: its board lets staff in only.`,
    backSubject: (f: ProblemMailFacts) => `FabOMatic: ${f.machineName} is back in order`,
    back: (f: ProblemMailFacts) => `${f.machineName}, which you used recently, is back in order.`,
    problem: 'Problem',
    optOut: 'You can stop these emails in your profile on the portal.',
  },
  it: {
    hello: (name: string) => `Ciao ${name},`,
    reportedSubject: (f: ProblemMailFacts) =>
      f.outOfOrder
        ? `FabOMatic: ${f.machineName} segnalata fuori servizio`
        : `FabOMatic: problema segnalato su ${f.machineName}`,
    reported: (f: ProblemMailFacts) =>
      `${f.reporterName} ha segnalato ${f.outOfOrder ? 'la macchina fuori servizio' : 'un problema'} su ${f.machineName}:`,
    reportedOutro: 'Risolvila nella pagina delle segnalazioni del portale quando è sistemata.',
    resolvedSubject: (f: ProblemMailFacts) => `FabOMatic: la tua segnalazione su ${f.machineName} è risolta`,
    resolved: (f: ProblemMailFacts) => `La tua segnalazione su ${f.machineName} è stata risolta:`,
    resolution: 'Soluzione',
    yourReport: 'La tua segnalazione',
    outSubject: (f: ProblemMailFacts) => `FabOMatic: ${f.machineName} è fuori servizio`,
    out: (f: ProblemMailFacts) =>
      `${f.machineName}, che hai usato di recente, è fuori servizio: la sua scheda fa entrare solo lo staff.`,
    backSubject: (f: ProblemMailFacts) => `FabOMatic: ${f.machineName} è di nuovo in servizio`,
    back: (f: ProblemMailFacts) => `${f.machineName}, che hai usato di recente, è di nuovo in servizio.`,
    problem: 'Problema',
    optOut: 'Puoi disattivare queste email nel tuo profilo sul portale.',
  },
} as const;

export type ProblemMailKind = 'reported' | 'resolved' | 'out-of-order' | 'back-in-order';

/** A problem report email, in the recipient's language, HTML and text. */
export function problemEmail(
  kind: ProblemMailKind,
  to: string,
  name: string,
  language: EmailLanguage,
  facts: ProblemMailFacts,
): MailMessage {
  const t = TEXTS[language];
  const { subject, paragraphs, closing } = (() => {
    switch (kind) {
      case 'reported':
        return {
          subject: t.reportedSubject(facts),
          paragraphs: [t.hello(name), t.reported(facts), facts.description],
          closing: [t.reportedOutro],
        };
      case 'resolved':
        return {
          subject: t.resolvedSubject(facts),
          paragraphs: [
            t.hello(name),
            t.resolved(facts),
            `${t.resolution}: ${facts.resolution ?? ''}`,
            `${t.yourReport}: ${facts.description}`,
          ],
          closing: [],
        };
      case 'out-of-order':
        return {
          subject: t.outSubject(facts),
          paragraphs: [t.hello(name), t.out(facts), `${t.problem}: ${facts.description}`],
          closing: [t.optOut],
        };
      case 'back-in-order':
        return {
          subject: t.backSubject(facts),
          paragraphs: [t.hello(name), t.back(facts)],
          closing: [t.optOut],
        };
    }
  })();
  const blocks = [{ paragraphs, closing }];
  return { to, subject, text: textEmail(blocks), html: htmlEmail(blocks) };
}
