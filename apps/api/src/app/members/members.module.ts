import { Module } from '@nestjs/common';
import { BoardsModule } from '../boards/boards.module';
import { MembersController } from './members.controller';
import { MembersImportService } from './members-import.service';
import { MembersService } from './members.service';

@Module({
  imports: [BoardsModule],
  controllers: [MembersController],
  providers: [MembersService, MembersImportService],
  exports: [MembersService],
})
export class MembersModule {}
