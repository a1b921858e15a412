import type { MailMessage } from '../../core/mail/mailer';
import { MAGIC_LINK_TTL_MINUTES } from '@fabomatic/contracts';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const TEXTS = {
  en: {
    subject: 'FabOMatic: your sign-in link',
    hello: (name: string) => `Hello ${name},`,
    body: `open this link within ${MAGIC_LINK_TTL_MINUTES} minutes to sign in to the FabLab portal. It works once:`,
    ignore: 'If you did not ask for it, ignore this email: nobody can sign in without opening the link.',
  },
  it: {
    subject: 'FabOMatic: il tuo link di accesso',
    hello: (name: string) => `Ciao ${name},`,
    body: `apri questo link entro ${MAGIC_LINK_TTL_MINUTES} minuti per entrare nel portale del FabLab. Funziona una volta sola:`,
    ignore: 'Se non sei stato tu, ignora questa email: senza aprire il link nessuno può entrare.',
  },
} as const;

/** The emailed sign-in link, in the member's language (English or Italian). */
export function magicLinkEmail(to: string, name: string, language: string, link: string): MailMessage {
  const t = language === 'it' ? TEXTS.it : TEXTS.en;
  return {
    to,
    subject: t.subject,
    text: `${t.hello(name)}\n\n${t.body}\n\n${link}\n\n${t.ignore}\n`,
    html: `<p>${escape(t.hello(name))}</p><p>${escape(t.body)}</p><p><a href="${escape(link)}">${escape(link)}</a></p><p>${escape(t.ignore)}</p>`,
  };
}
