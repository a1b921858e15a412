import { Module } from '@nestjs/common';
import { AuthorizationsModule } from '../authorizations/authorizations.module';
import { MyTrainingController, TrainersController } from './trainers.controller';
import { TrainersService } from './trainers.service';

@Module({
  imports: [AuthorizationsModule],
  controllers: [TrainersController, MyTrainingController],
  providers: [TrainersService],
  exports: [TrainersService],
})
export class TrainersModule {}
