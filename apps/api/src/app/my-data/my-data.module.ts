import { Module } from '@nestjs/common';
import { MyDataAccessService } from './my-data-access.service';
import { MyDataController } from './my-data.controller';
import { MyDataService } from './my-data.service';

/** The members' portal reads of their own data (`/api/me/…`). */
@Module({ controllers: [MyDataController], providers: [MyDataService, MyDataAccessService] })
export class MyDataModule {}
