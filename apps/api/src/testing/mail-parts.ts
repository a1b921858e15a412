import type { ReceivedMail } from './smtp-inbox';

/** A received email's subject and decoded text and HTML parts (tests only: a tiny MIME reader). */
export interface MailParts {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

function decodeBody(body: string, encoding: string): string {
  if (encoding === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

function header(block: string, name: string): string {
  const unfolded = block.replace(/\r?\n[ \t]+/g, ' ');
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1]?.trim() ?? '';
}

export function mailParts(mail: ReceivedMail): MailParts {
  const [head = '', ...rest] = mail.raw.split(/\r?\n\r?\n/);
  const body = rest.join('\r\n\r\n');
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(head.replace(/\r?\n[ \t]+/g, ' '))?.[1];
  const parts: Record<string, string> = {};
  const chunks = boundary ? body.split(`--${boundary}`) : [`${head}\r\n\r\n${body}`];
  for (const chunk of chunks) {
    const [partHead = '', ...partBody] = chunk.replace(/^\r?\n/, '').split(/\r?\n\r?\n/);
    const type = header(partHead, 'Content-Type').split(';')[0]?.toLowerCase() ?? '';
    if (type !== 'text/plain' && type !== 'text/html') continue;
    parts[type] = decodeBody(partBody.join('\r\n\r\n'), header(partHead, 'Content-Transfer-Encoding'));
  }
  return {
    to: mail.to,
    subject: header(head, 'Subject'),
    text: parts['text/plain'] ?? '',
    html: parts['text/html'] ?? '',
  };
}
