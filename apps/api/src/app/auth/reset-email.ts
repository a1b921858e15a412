import type { MailMessage } from '../../core/mail/mailer';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const TEXTS = {
  en: {
    subject: 'FabOMatic: reset your password',
    hello: (name: string) => `Hello ${name},`,
    body: 'someone (hopefully you) asked to reset your FabOMatic password. Open this link within 30 minutes to choose a new one:',
    ignore: 'If you did not ask for it, ignore this email: your password does not change.',
  },
  it: {
    subject: 'FabOMatic: reimposta la password',
    hello: (name: string) => `Ciao ${name},`,
    body: 'qualcuno (speriamo tu) ha chiesto di reimpostare la tua password di FabOMatic. Apri questo link entro 30 minuti per sceglierne una nuova:',
    ignore: 'Se non sei stato tu, ignora questa email: la tua password non cambia.',
  },
} as const;

/** The password reset email, in the member's language (English or Italian). */
export function resetEmail(to: string, name: string, language: string, link: string): MailMessage {
  const t = language === 'it' ? TEXTS.it : TEXTS.en;
  return {
    to,
    subject: t.subject,
    text: `${t.hello(name)}\n\n${t.body}\n\n${link}\n\n${t.ignore}\n`,
    html: `<p>${escape(t.hello(name))}</p><p>${escape(t.body)}</p><p><a href="${escape(link)}">${escape(link)}</a></p><p>${escape(t.ignore)}</p>`,
  };
}
