// 批量导入 importBatch: an organiser enters a pile of paper cards or a hotline spreadsheet at once.
//   { mode: 'template' } → the .xlsx template's temporary URL
//   { mode: 'upload' }   → where to upload the filled file (the caller's own imports/ folder)
//   { mode: 'import', fileId } → each row validated like `collect` and content-checked; valid rows become collected
//   wishes with their channel, once (an idempotency key per row); a row-by-row report and an annotated .xlsx of the
//   refused rows. The work is in server/batch.ts.
import { consentFailure } from '../../src/core';
import { ImportBatchEvent } from '../../src/core/batch';
import { importBatch, importTemplate, issueImportUpload } from '../../server/batch';
import { defineOrganiserFunction } from '../../server/runner';
import { auditOrgAction } from '../../server/trust';

export const main = defineOrganiserFunction(
  'importBatch',
  ImportBatchEvent,
  '只有社区工作人员可以批量导入心愿',
  async (event, { actor, user, org, now }) => {
    if (event.mode === 'template') return importTemplate();
    if (event.mode === 'upload') return issueImportUpload(actor, now);
    const noConsent = consentFailure(user?.consent, false);
    if (noConsent) return noConsent;
    const report = await importBatch(event.fileId, actor, org, now);
    if ('ok' in report) return report;
    await auditOrgAction(
      actor,
      org._id,
      'importBatch',
      {
        fileId: event.fileId,
        total: report.total,
        created: report.created,
        linked: report.linked,
        held: report.held,
        duplicates: report.duplicates,
        invalid: report.invalid,
      },
      now,
    );
    return report;
  },
  { write: true },
);
