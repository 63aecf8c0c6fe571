/** The names of the collections the store owns. */
export const WISHES = 'wishes';
export const USERS = 'users';
export const ORGS = 'orgs';
export const OUTBOX = 'outbox'; // notifications, one document per recipient (local adapter and in-app list)
export const REMINDERS = 'reminders'; // one document per (wish, promised date) whose deadline reminder was sent
export const COUNTERS = 'counters';
export const FIGURES = 'figures'; // counted figures per organisation and period (src/core/figures.ts)
export const AUDIT = 'audit';
export const RATE = 'ratelimits';
export const INVITES = 'invites';
export const NUDGES = 'nudges';
export const BULLETINS = 'bulletins';
export const CARDS = 'cards';
export const MEDIACHECKS = 'mediachecks';
export const WISHNOS = 'wishnos';
export const FILES = 'files'; // uploads and the files a function made (server/store/files.ts)
