import type { MailMessage } from '../../core/mail/mailer';
import { type EmailLanguage, formatHours, htmlEmail, textEmail } from './email-format';
import type { PlanState } from './plan-states';

const TEXTS = {
  en: {
    subject: (machines: readonly string[]) =>
      machines.length === 1
        ? `FabOMatic: maintenance due on ${machines[0]}`
        : `FabOMatic: maintenance due on ${machines.length} machines`,
    hello: (name: string) => `Hello ${name},`,
    intro: 'these maintenance plans are now due:',
    plan: (p: PlanState, since: string, every: string) =>
      `${p.machineName}: ${p.description} (${since} h of use since the last intervention, due every ${every} h)`,
    instructions: 'instructions',
    outro: 'Record the intervention on the machine (long tap of a maintainer card) or in the portal.',
  },
  it: {
    subject: (machines: readonly string[]) =>
      machines.length === 1
        ? `FabOMatic: manutenzione da fare su ${machines[0]}`
        : `FabOMatic: manutenzione da fare su ${machines.length} macchine`,
    hello: (name: string) => `Ciao ${name},`,
    intro: 'queste manutenzioni sono ora da fare:',
    plan: (p: PlanState, since: string, every: string) =>
      `${p.machineName}: ${p.description} (${since} h di uso dall'ultimo intervento, da fare ogni ${every} h)`,
    instructions: 'istruzioni',
    outro:
      'Registra l’intervento sulla macchina (pressione lunga di una tessera da manutentore) o nel portale.',
  },
} as const;

/** The "maintenance due" email to a maintainer, in their language, HTML and text. */
export function maintenanceNoticeEmail(
  to: string,
  name: string,
  language: EmailLanguage,
  plans: readonly PlanState[],
): MailMessage {
  const t = TEXTS[language];
  const hours = (h: number) => formatHours(h, language);
  const items = plans.map((p) => {
    const line = t.plan(p, hours(p.hoursSince), hours(p.hoursBetween));
    return p.instructionsUrl ? `${line} - ${t.instructions}: ${p.instructionsUrl}` : line;
  });
  const blocks = [{ paragraphs: [t.hello(name), t.intro], items }, { paragraphs: [t.outro] }];
  return {
    to,
    subject: t.subject([...new Set(plans.map((p) => p.machineName))]),
    text: textEmail(blocks),
    html: htmlEmail(blocks),
  };
}
