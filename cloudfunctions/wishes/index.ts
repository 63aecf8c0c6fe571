// Reading wishes: the claim board, one wish, the caller's own, an organiser's lists, duplicates and the moderation queue.
// One deployed function, several operations (src/core/functions.ts GROUPS): the event's `action` picks the
// operation, which keeps its own schema, rate limit and checks.
import { defineGroup } from '../../server/runner';
import { main as board } from './board';
import { main as wishDetail } from './wishDetail';
import { main as myWishes } from './myWishes';
import { main as orgWishes } from './orgWishes';
import { main as duplicates } from './duplicates';
import { main as moderationQueue } from './moderationQueue';

export const main = defineGroup('wishes', { board, wishDetail, myWishes, orgWishes, duplicates, moderationQueue });
