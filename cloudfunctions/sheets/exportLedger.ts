// 导出台账 exportLedger: an organiser's ledger of their own subtree for a chosen period, as an .xlsx in storage with a
// temporary URL (10 minutes) — 群众需求台账, 实事项目台账 or 进度台账, the organiser's own copy or the 报上级 version
// whose personal fields are masked (src/core/privacy.ts). The work is in server/ledger.ts; each export is audited.
import { ExportLedgerEvent } from '../../src/core/ledger';
import { exportLedger } from '../../server/ledger';
import { defineOrganiserFunction } from '../../server/runner';
import { auditOrgAction } from '../../server/trust';

export const main = defineOrganiserFunction(
  'exportLedger',
  ExportLedgerEvent,
  '只有社区工作人员可以导出台账',
  async (event, { actor, org, now }) => {
    const file = await exportLedger(event, actor, org, now);
    await auditOrgAction(
      actor,
      org._id,
      'exportLedger',
      { ledger: event.ledger, version: event.version, from: event.from, to: event.to, rows: file.rows },
      now,
    );
    return file;
  },
  { write: true },
);
