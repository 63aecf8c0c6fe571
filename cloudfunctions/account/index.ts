// The caller's own data: identity, consent, joining a community, notices, their year, export and erasure.
// One deployed function, several operations (src/core/functions.ts GROUPS): the event's `action` picks the
// operation, which keeps its own schema, rate limit and checks.
import { defineGroup } from '../../server/runner';
import { main as whoami } from './whoami';
import { main as consent } from './consent';
import { main as join } from './join';
import { main as myData } from './myData';
import { main as deleteMyData } from './deleteMyData';
import { main as myYear } from './myYear';
import { main as notifications } from './notifications';
import { main as markRead } from './markRead';

export const main = defineGroup('account', { whoami, consent, join, myData, deleteMyData, myYear, notifications, markRead });
