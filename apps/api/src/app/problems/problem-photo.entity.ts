import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { ProblemReport } from './problem-report.entity';

/**
 * Bytes kept as base64 text: one column type on both drivers (SQLite's `blob` and PostgreSQL's
 * `bytea` have no common TypeORM type), a third larger than the bytes for photos of at most 5 MB.
 */
const base64: ValueTransformer = {
  to: (value: Buffer | null | undefined) => (Buffer.isBuffer(value) ? value.toString('base64') : value),
  from: (value: string | null) =>
    value === null || value === undefined ? null : Buffer.from(value, 'base64'),
};

/** A report's photo, metadata stripped (re-encoded), in its own table so lists stay light. */
@Entity({ name: 'problem_photos' })
export class ProblemPhoto {
  @PrimaryColumn({ type: 'integer' }) reportId!: number;

  @OneToOne(() => ProblemReport, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'reportId' })
  report?: ProblemReport;

  /** image/jpeg, image/png or image/webp, as found in the bytes. */
  @Column({ type: 'varchar', length: 32 }) mime!: string;

  @Column({ type: 'text', transformer: base64 }) bytes!: Buffer;
}
