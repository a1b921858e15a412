import { Module } from '@nestjs/common';
import { MembersModule } from '../members/members.module';
import { UnknownCardsController } from './unknown-cards.controller';
import { UnknownCardsService } from './unknown-cards.service';

@Module({ imports: [MembersModule], controllers: [UnknownCardsController], providers: [UnknownCardsService] })
export class UnknownCardsModule {}
