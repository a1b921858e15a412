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
