import mqttPacket from 'mqtt-packet';
import { qos0PublishPacket } from './publish-packet';

/** What mqtt.js sends for `publish(topic, payload, { qos: 0, retain: false })` on MQTT 3.1.1. */
const reference = (topic: string, payload: string) =>
  mqttPacket.generate(
    { cmd: 'publish', topic, payload, qos: 0, retain: false, dup: false, messageId: 0 },
    { protocolVersion: 4 },
  );

describe('qos0PublishPacket', () => {
  it.each([
    ['a board reply', 'machine/ab12/reply', '{"request_ok":true,"is_valid":true,"level":2}'],
    ['an empty payload', 'machine/ab12/reply', ''],
    ['a 127-byte body (one length byte)', 't/reply', 'x'.repeat(127 - 2 - 7)],
    ['a 128-byte body (two length bytes)', 't/reply', 'x'.repeat(128 - 2 - 7)],
    ['a 300-byte reply', 'lab/machine/ab12/reply', `{"message":"${'é'.repeat(140)}"}`],
    ['a 16,384-byte body (three length bytes)', 'a/reply', 'y'.repeat(16_384 - 2 - 7)],
    ['UTF-8 in the topic', 'labø/machine/reply', '{"name":"Sàlvo"}'],
  ])('encodes %s as mqtt-packet does', (_name, topic, payload) => {
    expect(qos0PublishPacket(topic, payload).equals(reference(topic, payload))).toBe(true);
  });

  it('parses back to the topic and payload it was given', () => {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const packets: mqttPacket.IPublishPacket[] = [];
    parser.on('packet', (p) => packets.push(p as mqttPacket.IPublishPacket));
    parser.parse(qos0PublishPacket('machine/ab12/reply', '{"request_ok":false}'));
    expect(packets).toHaveLength(1);
    expect(packets[0]).toMatchObject({ cmd: 'publish', topic: 'machine/ab12/reply', qos: 0, retain: false });
    expect(packets[0]?.payload.toString()).toBe('{"request_ok":false}');
  });
});
