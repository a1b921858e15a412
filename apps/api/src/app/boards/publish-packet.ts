/**
 * An MQTT 3.1.1 PUBLISH packet at QoS 0, not retained, not a duplicate (OASIS MQTT 3.1.1, 3.3):
 * fixed header 0x30, the remaining length as a variable byte integer, the topic as a two-byte length
 * and its UTF-8 bytes, then the payload. One buffer, written once: what mqtt.js' `publish` sends for
 * these options, without its per-packet objects, queue checks and debug calls.
 */
export function qos0PublishPacket(topic: string, payload: string): Buffer {
  const topicBytes = Buffer.byteLength(topic);
  if (topicBytes > 0xffff) throw new RangeError(`topic longer than 65,535 bytes: ${topicBytes}`);
  const payloadBytes = Buffer.byteLength(payload);
  const remaining = 2 + topicBytes + payloadBytes;
  if (remaining > 268_435_455) throw new RangeError(`packet too large: ${remaining} bytes`);
  let lengthBytes = 1;
  for (let rest = remaining >>> 7; rest > 0; rest >>>= 7) lengthBytes++;
  const packet = Buffer.allocUnsafe(1 + lengthBytes + remaining);
  packet[0] = 0x30;
  let offset = 1;
  let rest = remaining;
  do {
    const digit = rest & 0x7f;
    rest >>>= 7;
    packet[offset++] = rest > 0 ? digit | 0x80 : digit;
  } while (rest > 0);
  packet.writeUInt16BE(topicBytes, offset);
  offset += 2;
  offset += packet.write(topic, offset, 'utf8');
  packet.write(payload, offset, 'utf8');
  return packet;
}
