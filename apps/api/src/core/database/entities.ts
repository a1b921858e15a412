import { AccessEvent } from '../../app/access-events/access-event.entity';
import { UnknownCard } from '../../app/access-events/unknown-card.entity';
import { AuditEntry } from '../../app/audit/audit-entry.entity';
import { MagicLinkToken } from '../../app/auth/magic-link-token.entity';
import { PasswordResetToken } from '../../app/auth/password-reset-token.entity';
import { PortalSession } from '../../app/auth/portal-session.entity';
import { AuthorizationChangeEntry } from '../../app/authorizations/authorization-change.entity';
import { Authorization } from '../../app/authorizations/authorization.entity';
import { BoardAccount } from '../../app/boards/board-account.entity';
import { Board } from '../../app/boards/board.entity';
import { Kiosk } from '../../app/kiosks/kiosk.entity';
import { LabSetting } from '../../app/lab-settings/lab-setting.entity';
import { JobRun } from '../../app/jobs/job-run.entity';
import { MachineType } from '../../app/machine-types/machine-type.entity';
import { Machine } from '../../app/machines/machine.entity';
import { Intervention } from '../../app/maintenance/intervention.entity';
import { MaintenancePlan } from '../../app/maintenance/maintenance-plan.entity';
import { Member } from '../../app/members/member.entity';
import { MachineOutage } from '../../app/problems/machine-outage.entity';
import { ProblemPhoto } from '../../app/problems/problem-photo.entity';
import { ProblemReport } from '../../app/problems/problem-report.entity';
import { Role } from '../../app/roles/role.entity';
import { CertificationReminder } from '../../app/training/certification-reminder.entity';
import { Trainer } from '../../app/training/trainer.entity';
import { TrainingRequest } from '../../app/training/training-request.entity';
import { TrainingAttendee, TrainingSession } from '../../app/training/training-session.entity';
import { ReplayStart } from '../../app/usage/replay-start.entity';
import { UsageHour, UsageMachineTotal, UsageMemberTotal } from '../../app/usage/usage-aggregate.entity';
import { UsageSession } from '../../app/usage/usage-session.entity';

/** Every entity of the schema, listed once. */
export const ENTITIES = [
  Role,
  Member,
  MachineType,
  Machine,
  Authorization,
  MaintenancePlan,
  Intervention,
  UsageSession,
  ReplayStart,
  AccessEvent,
  UnknownCard,
  Board,
  BoardAccount,
  AuditEntry,
  PortalSession,
  PasswordResetToken,
  MagicLinkToken,
  JobRun,
  UsageMachineTotal,
  UsageMemberTotal,
  UsageHour,
  AuthorizationChangeEntry,
  Trainer,
  TrainingRequest,
  TrainingSession,
  TrainingAttendee,
  CertificationReminder,
  Kiosk,
  LabSetting,
  ProblemReport,
  ProblemPhoto,
  MachineOutage,
];
