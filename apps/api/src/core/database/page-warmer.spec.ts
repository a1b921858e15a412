import { indexShape } from './page-warmer';

describe('indexShape', () => {
  it('reads the columns of an index', () => {
    expect(
      indexShape('IDX_a', 'CREATE INDEX "IDX_a" ON "access_events" ("machineId", "occurredAt") '),
    ).toEqual({ name: 'IDX_a', terms: ['"machineId"', '"occurredAt"'], where: null });
  });

  it('keeps an expression whole, commas and parentheses included, without its order or collation', () => {
    expect(
      indexShape(
        'IDX_d',
        'CREATE INDEX "IDX_d" ON "usage_sessions" ((COALESCE("endedAt", "lastSeenAt") - "startedAt") DESC, "name" COLLATE NOCASE ASC)',
      ),
    ).toEqual({
      name: 'IDX_d',
      terms: ['(COALESCE("endedAt", "lastSeenAt") - "startedAt")', '"name"'],
      where: null,
    });
  });

  it("reads a partial index's condition", () => {
    expect(
      indexShape(
        'UQ_open',
        'CREATE UNIQUE INDEX "UQ_open" ON "usage_sessions" ("machineId") WHERE "endedAt" IS NULL',
      ),
    ).toEqual({ name: 'UQ_open', terms: ['"machineId"'], where: '"endedAt" IS NULL' });
    expect(
      indexShape(
        'IDX_r',
        `CREATE INDEX "IDX_r" ON "access_events" ("machineId", "memberId") WHERE "action" = 'remote-start, (x)'`,
      ),
    ).toEqual({
      name: 'IDX_r',
      terms: ['"machineId"', '"memberId"'],
      where: `"action" = 'remote-start, (x)'`,
    });
  });

  it('gives up on what it cannot read', () => {
    expect(indexShape('IDX_x', 'CREATE INDEX "IDX_x"')).toBeNull();
    expect(indexShape('IDX_y', 'CREATE INDEX "IDX_y" ON "t" ("a", ')).toBeNull();
    expect(indexShape('IDX_z', 'CREATE INDEX "IDX_z" ON "t" ("a", )')).toBeNull();
  });
});
