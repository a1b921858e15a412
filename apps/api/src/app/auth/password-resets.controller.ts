import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags } from '../../core/http/openapi';
import { Access } from './auth.decorators';
import { SendResetDto } from './auth.dto';
import { PasswordResetService } from './password-reset.service';
import { type SessionUser, User } from './session-user';

/** Staff send a member a password reset link (to the member's own address). */
@ApiTags('auth')
@Controller('password-resets')
export class PasswordResetsController {
  constructor(private readonly resets: PasswordResetService) {}

  @Access('manager')
  @Post()
  @HttpCode(202)
  send(@User() user: SessionUser, @Body() body: SendResetDto): Promise<void> {
    return this.resets.requestForMember(user, body.memberId);
  }
}
