/**
 * Which deployed cloud function serves each operation — the one table the app's gateway, the local cloud, the deploy
 * plan, the tests and docs/api.md follow.
 *
 * CloudBase allows 50 functions per environment (WeChat's quota page: "云函数数量 50"; SCF: 50 per namespace), and an
 * environment needs room for others. So the seven stage transitions (收集、登记、发布、领办、落实、反馈、销号) are one
 * function each, as the product is designed, and every other operation is an `action` of a function that groups
 * operations by who calls them and what they touch: the event is `{ action, ...fields }`, dispatched by
 * `defineGroup` (server/runner.ts) to the operation's own handler, rate limit and schema. The timers' operations are
 * their trigger names (CloudBase's timer event `{ Type: 'Timer', TriggerName, Time }`), so one function holds every
 * timer trigger of the rhythm.
 */

/** The seven stage transitions: one deployed function each, named as the operation; the event carries no `action`. */
export const STAGES = ['collect', 'register', 'publish', 'claim', 'fulfil', 'feedback', 'closeOut'] as const;

/** Functions that serve several operations, chosen by the event's `action` (timers: by the trigger's name). */
export const GROUPS = {
  /** The lifecycle's side paths on one wish (every one a transition of the core's table, through runStage). */
  steps: [
    'withdraw',
    'assign',
    'reassign',
    'release',
    'extend',
    'answerExtension',
    'reopen',
    'revive',
    'progress',
    'chase',
    'message',
    'moderate',
  ],
  /** Reading wishes: the board, one wish, the caller's own, an organiser's lists and queues. */
  wishes: ['board', 'wishDetail', 'myWishes', 'orgWishes', 'duplicates', 'moderationQueue'],
  /** Photos: where to upload one, and short-lived URLs of those the caller may see. */
  files: ['photoUpload', 'fileUrls'],
  /** The caller's own data: who they are, consent, joining a community, their notices, their year, export and erasure. */
  account: ['whoami', 'consent', 'join', 'myData', 'deleteMyData', 'myYear', 'notifications', 'markRead'],
  /** Membership, run by organisers (and the member confirming an invitation). */
  members: ['invite', 'confirmMember', 'pendingMembers', 'branchMembers', 'removeMember', 'appoint', 'nudge'],
  /** Organisers' reports: the workbench, the audit log, the rhythm's bulletins. */
  reports: ['workbench', 'auditLog', 'bulletins'],
  /** Spreadsheets in and out (exceljs, the largest bundle): the batch import and the ledgers. */
  sheets: ['importBatch', 'exportLedger'],
  /** The rhythm's and the housekeeping's timer triggers; no client may call it (functions.rules.json). */
  timers: ['purge', 'remind', 'reconcile', 'overdueAlerts', 'weekly', 'bulletin', 'monthly'],
} as const;

/** Functions that serve one operation of their own name but are not stage transitions. */
export const SINGLES = [
  /** 公开栏: anyone, no sign-in (functions.rules.json `invoke: true`). */
  'publicResults',
  /** Paper wish cards: printing (organisers) and the card page (anyone signed in, anonymous web sign-in included). */
  'wishCards',
  /** WeChat's `wxa_media_check` message push: the platform only. */
  'mediaCheckResult',
] as const;

export type GroupName = keyof typeof GROUPS;
export type Operation = (typeof STAGES)[number] | (typeof SINGLES)[number] | (typeof GROUPS)[GroupName][number];

// The lists below are built by calls marked pure, so a bundle that only routes calls (the app's gateway: callOf) drops
// them: the weapp main package has a budget (scripts/package-size.mjs).
const listDeployed = (): readonly string[] => [...STAGES, ...Object.keys(GROUPS), ...SINGLES];
const listOperations = (): readonly Operation[] => [...STAGES, ...SINGLES, ...Object.values(GROUPS).flat()];

/** Every deployed function's name. */
export const DEPLOYED: readonly string[] = /*#__PURE__*/ listDeployed();

/** Every operation, whichever function serves it. */
export const OPERATIONS: readonly Operation[] = /*#__PURE__*/ listOperations();

const GROUP_OF = new Map<string, GroupName>(
  (Object.entries(GROUPS) as Array<[GroupName, readonly string[]]>).flatMap(([g, ops]) => ops.map((op) => [op, g] as [string, GroupName])),
);

/** The deployed function and `action` that serve `operation`: `{ name }` for a stage or a single, `{ name, action }` for a
 * grouped one; null for a name that is no operation. */
export function routeOf(operation: string): { name: string; action?: string } | null {
  const group = GROUP_OF.get(operation);
  if (group) return { name: group, action: operation };
  return (STAGES as readonly string[]).includes(operation) || (SINGLES as readonly string[]).includes(operation)
    ? { name: operation }
    : null;
}

/** The call to make for `operation` with `data`: the function's name and its event (the `action` added for a group). */
export function callOf(operation: string, data: object = {}): { name: string; data: object } {
  const group = GROUP_OF.get(operation);
  if (!group) return { name: operation, data }; // a stage or a single: its own function, the event as it is
  if (Object.prototype.hasOwnProperty.call(data, 'action'))
    throw new Error(`${operation}: an event field may not be called "action" (it names the operation of ${group})`);
  return { name: group, data: { ...data, action: operation } };
}
