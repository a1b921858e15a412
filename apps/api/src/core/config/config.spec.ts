import { ConfigError, loadConfig, redactConfig } from './config.schema';

describe('configuration', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 23336,
      DATABASE_URL: 'sqlite:./data/fabomatic.db',
      BROKER_PORT: 1883,
      MQTT_TOPIC_ROOT: 'machine',
      MQTT_ALLOW_ANONYMOUS: false,
    });
    expect(config.MQTT_URL).toBeUndefined();
  });

  it('lists every problem with the variable name', () => {
    try {
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', BOARD_MQTT_USERNAME: 'board' });
      fail('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const message = (e as ConfigError).message;
      expect(message).toContain('PORT');
      expect(message).toContain('DATABASE_URL: must be sqlite:<path> or postgres://');
      expect(message).toContain('BOARD_MQTT_PASSWORD');
    }
  });

  it('takes exact proxy addresses in TRUST_PROXY, trusting none by default', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'none' }).TRUST_PROXY).toBe(false);
    expect(
      loadConfig({ TRUST_PROXY: ' 172.31.250.2, 10.0.0.0/29,loopback,fd00::1/128' }).TRUST_PROXY,
    ).toEqual(['172.31.250.2', '10.0.0.0/29', 'loopback', 'fd00::1/128']);
    // Whole private ranges, "everyone" and hop counts would let a client on them claim any address.
    for (const value of ['uniquelocal', 'true', '1', '10.0.0.0/33', 'proxy.example.org', '10.0.0.1/8/1']) {
      expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: /);
    }
  });

  it('redacts secrets', () => {
    const shown = redactConfig(
      loadConfig({
        DATABASE_URL: 'postgres://fab:s3cret@db:5432/fab',
        BOARD_MQTT_USERNAME: 'board',
        BOARD_MQTT_PASSWORD: 'boardpw',
      }),
    );
    expect(JSON.stringify(shown)).not.toContain('s3cret');
    expect(JSON.stringify(shown)).not.toContain('boardpw');
    expect(shown['DATABASE_URL']).toBe('postgres://fab:***@db:5432/fab');
  });
});
