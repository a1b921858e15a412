import { ApiProperty } from '../../core/http/openapi';
import type {
  ChangePasswordRequest,
  ForgotPasswordRequest,
  LoginRequest,
  MagicLinkRequest,
  MagicLinkVerifyRequest,
  ResetPasswordRequest,
} from '@fabomatic/contracts';
import { IsEmail, IsInt, IsOptional, IsPositive, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'admin@example.org' })
  @IsEmail()
  @MaxLength(254)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty({ required: false, description: 'needed unless the user has no password yet' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  currentPassword?: string;

  @ApiProperty()
  @IsString()
  @MaxLength(200)
  newPassword!: string;
}

export class ForgotPasswordDto implements ForgotPasswordRequest {
  @ApiProperty()
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class ResetPasswordDto implements ResetPasswordRequest {
  @ApiProperty()
  @IsString()
  @MinLength(20)
  @MaxLength(100)
  token!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(200)
  newPassword!: string;
}

export class SendResetDto {
  @ApiProperty()
  @IsInt()
  @IsPositive()
  memberId!: number;
}

export class MagicLinkDto implements MagicLinkRequest {
  @ApiProperty({ example: 'lucia@example.org' })
  @IsEmail()
  @MaxLength(254)
  email!: string;
}

export class MagicLinkVerifyDto implements MagicLinkVerifyRequest {
  @ApiProperty()
  @IsString()
  @MinLength(20)
  @MaxLength(100)
  token!: string;
}
