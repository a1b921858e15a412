import { Module } from '@nestjs/common';
import { LabSettingsController } from './lab-settings.controller';
import { LabSettingsService } from './lab-settings.service';

@Module({
  controllers: [LabSettingsController],
  providers: [LabSettingsService],
  exports: [LabSettingsService],
})
export class LabSettingsModule {}
