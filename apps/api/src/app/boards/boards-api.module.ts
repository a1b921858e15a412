import { Module } from '@nestjs/common';
import { BoardAccountsController } from './board-accounts.controller';
import { BoardAccountsService } from './board-accounts.service';
import { BoardsApiController } from './boards-api.controller';
import { BoardsApiService } from './boards-api.service';
import { BoardsModule } from './boards.module';

/** The fleet API, apart from the MQTT hot path of BoardsModule. */
@Module({
  imports: [BoardsModule],
  controllers: [BoardsApiController, BoardAccountsController],
  providers: [BoardsApiService, BoardAccountsService],
})
export class BoardsApiModule {}
