import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Transporter } from 'nodemailer';
import { APP_CONFIG } from '../config/config.module';
import type { AppConfig } from '../config/config.schema';

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

/** Sends email: the seam between the domain and SMTP. */
export abstract class Mailer {
  /** False when no SMTP server is configured: callers say so instead of pretending. */
  abstract readonly configured: boolean;
  abstract send(message: MailMessage): Promise<void>;
}

/** The SMTP server would not upgrade to TLS (STARTTLS) while `SMTP_REQUIRE_TLS` is set: nothing was sent. */
export class MailTlsRequiredError extends Error {
  constructor(cause: unknown) {
    super(
      `email not sent: the SMTP server did not upgrade the connection to TLS (STARTTLS), and SMTP_REQUIRE_TLS is set (${
        cause instanceof Error ? cause.message : String(cause)
      })`,
    );
    this.name = 'MailTlsRequiredError';
  }
}

/**
 * SMTP through nodemailer (`SMTP_URL`, `SMTP_FROM`); without `SMTP_URL`, mail is not sent. With
 * `SMTP_REQUIRE_TLS`, an `smtp://` server must take STARTTLS, or nothing (password, reset link) is
 * sent in the clear.
 */
@Injectable()
export class SmtpMailer extends Mailer {
  private readonly logger = new Logger('Mailer');
  private transport?: Promise<Transporter>;
  readonly configured: boolean;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    super();
    this.configured = Boolean(config.SMTP_URL);
  }

  async send(message: MailMessage): Promise<void> {
    const url = this.config.SMTP_URL;
    if (!url) {
      this.logger.warn(`email "${message.subject}" not sent: SMTP_URL is not configured`);
      return;
    }
    // nodemailer is loaded with the first email, not at start: idle memory matters on small boxes.
    const requireTLS = this.config.SMTP_REQUIRE_TLS;
    this.transport ??= import('nodemailer').then(({ createTransport }) =>
      createTransport({ url, requireTLS }),
    );
    try {
      await (await this.transport).sendMail({ from: this.config.SMTP_FROM, ...message });
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      if (requireTLS && !url.startsWith('smtps:') && (code === 'ETLS' || /STARTTLS/i.test(String(error))))
        throw new MailTlsRequiredError(error);
      throw error;
    }
  }
}
