import { Module } from '@nestjs/common';
import { MembersController } from './members.controller';
import { MembersImportService } from './members-import.service';
import { MembersService } from './members.service';

@Module({
  controllers: [MembersController],
  providers: [MembersService, MembersImportService],
  exports: [MembersService],
})
export class MembersModule {}
