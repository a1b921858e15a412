import { boardCommand, encodeCommand } from './commands';
import { toLcdText } from './lcd-text';
import {
  byteLength,
  deniedUserReply,
  encodeReply,
  grantedUserReply,
  knownMachineReply,
  maxPayloadBytes,
  simpleReply,
  unknownMachineReply,
} from './replies';
import { replyTopicFor, topicIdFromQueryTopic } from './topics';

describe('LCD text', () => {
  it('transliterates accents and cuts to 16 ASCII chars', () => {
    expect(toLcdText('Lucía')).toBe('Lucia');
    expect(toLcdText('Stampante 3D Prusa MK4 grande')).toBe('Stampante 3D Pru');
    expect(toLcdText('Łukasz Żółć')).toBe('Lukasz Zolc');
    expect(toLcdText('a\u0000b\nc')).toBe('ab c');
    expect(toLcdText(null)).toBe('');
  });
});

describe('replies', () => {
  it('denies with request_ok true and level 0', () => {
    expect(JSON.parse(encodeReply('machine/1/reply', deniedUserReply()))).toEqual({
      request_ok: true,
      is_valid: false,
      level: 0,
      name: '',
      missing_auth: false,
    });
  });

  it('grants with an ASCII name of at most 16 chars', () => {
    const reply = grantedUserReply('José María Fernández', 2);
    expect(reply).toMatchObject({ request_ok: true, is_valid: true, level: 2, name: 'Jose Maria Ferna' });
  });

  it('always sends allowed, booleans and uint16 numbers for checkmachine', () => {
    const json = encodeReply(
      'machine/012/reply',
      knownMachineReply({
        allowed: true,
        maintenance: true,
        logoffMinutes: 100000,
        graceMinutes: -3,
        name: 'Taglio laser è grande',
        description: 'Pulire le lenti è necessario',
        typeId: 3,
      }),
    );
    expect(JSON.parse(json)).toEqual({
      request_ok: true,
      is_valid: true,
      allowed: true,
      maintenance: true,
      logoff: 65535,
      grace: 0,
      name: 'Taglio laser e g',
      description: 'Pulire le lenti',
      type: 3,
    });
    expect(unknownMachineReply()).toMatchObject({ request_ok: true, is_valid: false, allowed: false });
  });

  it('fits the 300-byte board buffer for the longest topic', () => {
    const topic = 'machine/65535/reply';
    const json = encodeReply(topic, simpleReply(true, 'x'.repeat(400)));
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(maxPayloadBytes(topic));
    expect(maxPayloadBytes(topic)).toBe(276);
  });

  it('shortens a reply that would overflow a very long topic root', () => {
    const topic = `${'r'.repeat(200)}/1/reply`;
    const json = encodeReply(topic, simpleReply(true, 'Duration 125 seconds, thanks for waiting'));
    expect(Buffer.byteLength(json) + Buffer.byteLength(topic)).toBeLessThanOrEqual(295);
  });
});

describe('topics and commands', () => {
  it('keeps the topic id as typed, leading zeros included', () => {
    expect(topicIdFromQueryTopic('machine/012', 'machine')).toBe('012');
    expect(replyTopicFor('machine/012')).toBe('machine/012/reply');
    expect(topicIdFromQueryTopic('machine/1/reply', 'machine')).toBeNull();
    expect(topicIdFromQueryTopic('machine/70000', 'machine')).toBeNull();
    expect(topicIdFromQueryTopic('other/1', 'machine')).toBeNull();
  });

  it('builds commands with both keys the firmware requires', () => {
    expect(JSON.parse(encodeCommand(boardCommand('stop')))).toEqual({
      request_type: 'stop',
      uid: '00000000',
    });
    expect(JSON.parse(encodeCommand(boardCommand('start', 'aabbccd1')))).toEqual({
      request_type: 'start',
      uid: 'aabbccd1',
    });
  });
});

describe('byteLength', () => {
  it('counts what UTF-8 encoding writes, surrogate pairs and lone surrogates included', () => {
    const encoder = new TextEncoder();
    for (const text of [
      '',
      'ascii',
      'Perù è già',
      '日本語',
      'emoji 😀 x',
      'lone \ud800 high',
      'lone \udc00 low',
      'end \ud83d',
    ])
      expect(byteLength(text)).toBe(encoder.encode(text).byteLength);
  });
});
