// The timer triggers: retention purge, deadline reminders, nightly reconcile, overdue alerts, and the rhythm (weekly, bulletin, monthly).
// One deployed function, several operations (src/core/functions.ts GROUPS): the timer event's `TriggerName` picks the
// operation, which keeps its own schema, rate limit and checks.
import { defineTimers } from '../../server/runner';
import { main as purge } from './purge';
import { main as remind } from './remind';
import { main as reconcile } from './reconcile';
import { main as overdueAlerts } from './overdueAlerts';
import { main as weekly } from './weekly';
import { main as bulletin } from './bulletin';
import { main as monthly } from './monthly';

export const main = defineTimers('timers', { purge, remind, reconcile, overdueAlerts, weekly, bulletin, monthly });
