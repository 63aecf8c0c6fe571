// Organisers' reports: the workbench (督办台), the audit log and the rhythm's bulletins.
// One deployed function, several operations (src/core/functions.ts GROUPS): the event's `action` picks the
// operation, which keeps its own schema, rate limit and checks.
import { defineGroup } from '../../server/runner';
import { main as workbench } from './workbench';
import { main as auditLog } from './auditLog';
import { main as bulletins } from './bulletins';

export const main = defineGroup('reports', { workbench, auditLog, bulletins });
