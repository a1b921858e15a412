import { loadConfig } from '../config/config.schema';
import { SmtpInbox } from '../../testing/smtp-inbox';
import { MailTlsRequiredError, SmtpMailer } from './mailer';

const MESSAGE = { to: 'ada@example.org', subject: 'Reset', text: 'link', html: '<p>link</p>' };

describe('SmtpMailer', () => {
  let inbox: SmtpInbox;
  beforeAll(async () => {
    inbox = await SmtpInbox.start();
  });
  afterAll(() => inbox?.close());

  it('attack: with SMTP_REQUIRE_TLS, a server without STARTTLS gets nothing, and the error says why', async () => {
    const mailer = new SmtpMailer(loadConfig({ SMTP_URL: inbox.url, SMTP_REQUIRE_TLS: 'true' }));
    const sent = mailer.send(MESSAGE);
    await expect(sent).rejects.toBeInstanceOf(MailTlsRequiredError);
    await expect(sent).rejects.toThrow(/did not upgrade the connection to TLS \(STARTTLS\)/);
    expect(inbox.messages).toHaveLength(0);
  });

  it('sends over plain SMTP when TLS is not required (the default)', async () => {
    const mailer = new SmtpMailer(loadConfig({ SMTP_URL: inbox.url }));
    await mailer.send(MESSAGE);
    expect((await inbox.waitFor(1)).to).toEqual(['ada@example.org']);
  });

  it('validates the setting', () => {
    expect(loadConfig({}).SMTP_REQUIRE_TLS).toBe(false);
    expect(() => loadConfig({ SMTP_REQUIRE_TLS: 'maybe' })).toThrow(/SMTP_REQUIRE_TLS/);
  });
});
