// Membership, run by organisers: invitations, confirmation, the branch list, removal, appointments, nudges.
// One deployed function, several operations (src/core/functions.ts GROUPS): the event's `action` picks the
// operation, which keeps its own schema, rate limit and checks.
import { defineGroup } from '../../server/runner';
import { main as invite } from './invite';
import { main as confirmMember } from './confirmMember';
import { main as pendingMembers } from './pendingMembers';
import { main as branchMembers } from './branchMembers';
import { main as removeMember } from './removeMember';
import { main as appoint } from './appoint';
import { main as nudge } from './nudge';

export const main = defineGroup('members', { invite, confirmMember, pendingMembers, branchMembers, removeMember, appoint, nudge });
