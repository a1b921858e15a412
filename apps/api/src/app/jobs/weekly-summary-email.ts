import type { MailMessage } from '../../core/mail/mailer';
import {
  type EmailLanguage,
  formatDay,
  formatHours,
  type HtmlBlock,
  htmlEmail,
  textEmail,
} from './email-format';
import type { WeekFacts } from './weekly-summary';

const TEXTS = {
  en: {
    subject: (from: string, to: string) => `FabOMatic: weekly summary from ${from} to ${to}`,
    hello: (name: string) => `Hello ${name},`,
    intro: (from: string, to: string) => `this is what happened in the lab from ${from} to ${to}.`,
    use: 'Machine use',
    machine: (name: string, hours: string, sessions: number) =>
      `${name}: ${hours} h, ${sessions} ${sessions === 1 ? 'session' : 'sessions'}`,
    total: (hours: string, sessions: number) =>
      `Total: ${hours} h, ${sessions} ${sessions === 1 ? 'session' : 'sessions'}`,
    noUse: 'No machine was used.',
    maintenance: 'Maintenance overdue',
    plan: (machine: string, description: string, since: string, every: string) =>
      `${machine}: ${description} (${since} h of use since the last intervention, due every ${every} h)`,
    noMaintenance: 'No maintenance is overdue.',
    cards: 'Unrecognised cards',
    cardCount: (scans: number, cards: number) =>
      `${scans} ${scans === 1 ? 'scan' : 'scans'} of ${cards} unknown ${cards === 1 ? 'card' : 'cards'}.`,
    card: (uid: string, scans: number) => `${uid}: ${scans} ${scans === 1 ? 'scan' : 'scans'}`,
    noCards: 'No unknown card was scanned.',
    footer:
      'You receive this email because you asked for the weekly summary: you can turn it off in your profile.',
  },
  it: {
    subject: (from: string, to: string) => `FabOMatic: riepilogo settimanale dal ${from} al ${to}`,
    hello: (name: string) => `Ciao ${name},`,
    intro: (from: string, to: string) => `ecco cosa è successo in laboratorio da ${from} a ${to}.`,
    use: 'Uso delle macchine',
    machine: (name: string, hours: string, sessions: number) =>
      `${name}: ${hours} h, ${sessions} ${sessions === 1 ? 'sessione' : 'sessioni'}`,
    total: (hours: string, sessions: number) =>
      `Totale: ${hours} h, ${sessions} ${sessions === 1 ? 'sessione' : 'sessioni'}`,
    noUse: 'Nessuna macchina è stata usata.',
    maintenance: 'Manutenzioni scadute',
    plan: (machine: string, description: string, since: string, every: string) =>
      `${machine}: ${description} (${since} h di uso dall'ultimo intervento, da fare ogni ${every} h)`,
    noMaintenance: 'Nessuna manutenzione è scaduta.',
    cards: 'Tessere non riconosciute',
    cardCount: (scans: number, cards: number) =>
      `${scans} ${scans === 1 ? 'lettura' : 'letture'} di ${cards} ${cards === 1 ? 'tessera sconosciuta' : 'tessere sconosciute'}.`,
    card: (uid: string, scans: number) => `${uid}: ${scans} ${scans === 1 ? 'lettura' : 'letture'}`,
    noCards: 'Nessuna tessera sconosciuta è stata letta.',
    footer:
      'Ricevi questa email perché hai chiesto il riepilogo settimanale: puoi disattivarlo nel tuo profilo.',
  },
} as const;

/**
 * The weekly summary email in the reader's language, HTML and text. The UIDs of rejected cards are
 * listed only when `withCardUids` (admins): others learn how many there were.
 */
export function weeklySummaryEmail(
  to: string,
  name: string,
  language: EmailLanguage,
  facts: WeekFacts,
  withCardUids: boolean,
): MailMessage {
  const t = TEXTS[language];
  const hours = (h: number) => formatHours(h, language);
  const blocks: HtmlBlock[] = [
    {
      paragraphs: [
        t.hello(name),
        t.intro(formatDay(facts.firstDay, language), formatDay(facts.lastDay, language)),
      ],
    },
    facts.machines.length
      ? {
          heading: t.use,
          items: facts.machines.map((m) => t.machine(m.machineName, hours(m.hours), m.sessions)),
          closing: [t.total(hours(facts.hours), facts.sessions)],
        }
      : { heading: t.use, paragraphs: [t.noUse] },
    facts.overdue.length
      ? {
          heading: t.maintenance,
          items: facts.overdue.map((p) =>
            t.plan(p.machineName, p.description, hours(p.hoursSince), hours(p.hoursBetween)),
          ),
        }
      : { heading: t.maintenance, paragraphs: [t.noMaintenance] },
    facts.unknownCards.length
      ? {
          heading: t.cards,
          paragraphs: [t.cardCount(facts.unknownScans, facts.unknownCards.length)],
          items: withCardUids ? facts.unknownCards.map((c) => t.card(c.cardUid, c.scans)) : [],
        }
      : { heading: t.cards, paragraphs: [t.noCards] },
    { paragraphs: [t.footer] },
  ];
  return {
    to,
    subject: t.subject(facts.firstDay, facts.lastDay),
    text: textEmail(blocks),
    html: htmlEmail(blocks),
  };
}
