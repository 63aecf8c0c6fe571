/** The names of the collections the store owns. */
export const WISHES = 'wishes';
export const USERS = 'users';
export const ORGS = 'orgs';
export const OUTBOX = 'outbox'; // notifications, one document per recipient (local adapter and in-app list)
export const REMINDERS = 'reminders'; // one document per (wish, promised date) whose deadline reminder was sent
