import { FIRMWARE_PAYLOADS, MALFORMED_PAYLOADS } from './fixtures';
import { parseBoardQuery } from './parser';

describe('parseBoardQuery', () => {
  it('parses every firmware payload exactly as sent', () => {
    expect(parseBoardQuery(FIRMWARE_PAYLOADS.checkuser('aabbccd1'))).toEqual({
      ok: true,
      query: { action: 'checkuser', uid: 'aabbccd1' },
    });
    expect(parseBoardQuery(FIRMWARE_PAYLOADS.checkmachine())).toEqual({
      ok: true,
      query: { action: 'checkmachine' },
    });
    expect(parseBoardQuery(FIRMWARE_PAYLOADS.stopuseReplay('aabbccd1', 125))).toEqual({
      ok: true,
      query: { action: 'stopuse', uid: 'aabbccd1', duration: 125, replay: true },
    });
    expect(parseBoardQuery(FIRMWARE_PAYLOADS.inuse('aabbccd1', 30))).toEqual({
      ok: true,
      query: { action: 'inuse', uid: 'aabbccd1', duration: 30 },
    });
    expect(parseBoardQuery(FIRMWARE_PAYLOADS.startuse('aabbccd1'))).toEqual({
      ok: true,
      query: { action: 'startuse', uid: 'aabbccd1', replay: false },
    });
    expect(parseBoardQuery(FIRMWARE_PAYLOADS.maintenanceReplay('aabbccd1'))).toEqual({
      ok: true,
      query: { action: 'maintenance', uid: 'aabbccd1', replay: true },
    });
  });

  it('reads alive from current and legacy firmware', () => {
    expect(parseBoardQuery(Buffer.from(FIRMWARE_PAYLOADS.alive('A0B1C2D3E4F5')))).toEqual({
      ok: true,
      query: {
        action: 'alive',
        version: 'hardware-rev0-it_IT,1.0.1-3-g0ab6099',
        ip: '192.168.1.50',
        serial: 'a0b1c2d3e4f5',
        heap: 123456,
      },
    });
    expect(parseBoardQuery(FIRMWARE_PAYLOADS.aliveLegacy())).toEqual({
      ok: true,
      query: { action: 'alive', version: '0.5.2', ip: '1', serial: null, heap: null },
    });
  });

  it("keeps a board's own text to a safe character set: no formula, no markup", () => {
    const alive = (fields: object) => parseBoardQuery(JSON.stringify({ action: 'alive', ...fields }));
    expect(alive({ version: '=HYPERLINK("http://evil","x")', ip: '10.0.0.1<script>' })).toMatchObject({
      query: { version: 'HYPERLINK(http://evil,x)', ip: '10.0.0.1c' },
    });
    expect(alive({ version: '<img src=x onerror=alert(1)>', ip: 'fe80::1%eth0' })).toMatchObject({
      query: { version: 'img srcx onerroralert(1)', ip: 'fe80::1%e0' },
    });
    expect(alive({ version: '===', ip: '' })).toMatchObject({ query: { version: null, ip: null } });
    expect(alive({ version: 'x'.repeat(500) })).toMatchObject({ query: { version: 'x'.repeat(64) } });
  });

  it('normalises card UIDs to lower case and rejects malformed ones', () => {
    expect(parseBoardQuery('{"action":"checkuser","uid":"AABBCCD1"}')).toMatchObject({
      query: { uid: 'aabbccd1' },
    });
    expect(parseBoardQuery('{"action":"checkuser","uid":"04AABBCCDDEEFF"}')).toMatchObject({
      query: { uid: '04aabbccddeeff' },
    });
    expect(parseBoardQuery('{"action":"checkuser","uid":"xyz"}')).toMatchObject({
      ok: false,
      error: 'invalid-fields',
      action: 'checkuser',
    });
    expect(parseBoardQuery('{"action":"stopuse","uid":"aabbccd1"}')).toMatchObject({
      ok: false,
      error: 'invalid-fields',
      action: 'stopuse',
    });
    expect(parseBoardQuery('{"action":"stopuse","uid":"aabbccd1","duration":-5}')).toMatchObject({
      ok: false,
      action: 'stopuse',
    });
  });

  it('returns a typed error for every malformed payload, never throwing', () => {
    const errors = MALFORMED_PAYLOADS.map((p) => parseBoardQuery(p));
    for (const result of errors) expect(result.ok).toBe(false);
    expect(errors.map((r) => (r.ok ? 'ok' : r.error))).toEqual([
      'not-json',
      'not-an-object',
      'not-an-object',
      'not-an-object',
      'not-an-object',
      'not-json',
      'not-json',
      'unknown-action',
      'unknown-action',
      'unknown-action',
      'not-utf8',
      'not-utf8',
    ]);
  });

  it('refuses payloads far larger than any board can send', () => {
    expect(parseBoardQuery(Buffer.alloc(5000, 0x20))).toMatchObject({ ok: false, error: 'too-large' });
  });
});
