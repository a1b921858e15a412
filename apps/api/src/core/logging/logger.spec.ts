import { createLogger } from './logger';

describe('the logger kept for the System page', () => {
  it('keeps what happened, without the start-up route listing', () => {
    const logger = createLogger({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      logger.log('Mapped {/api/members, GET} route', 'RouterExplorer');
      logger.log('MembersController {/api/members}:', 'RoutesResolver');
      logger.log('Nest application successfully started', 'NestApplication');
      logger.warn('board 3 is offline', 'Presence');
    } finally {
      write.mockRestore();
    }
    expect(logger.recent.map((line) => [line.context, line.message])).toEqual([
      ['NestApplication', 'Nest application successfully started'],
      ['Presence', 'board 3 is offline'],
    ]);
  });
});
