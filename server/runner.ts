/**
 * The one shared runner behind every cloud function.
 *
 *   validate the event (no database call before this) → identity from the context →
 *   load the caller → restore the wish → transition (pure core) → persist with a version check.
 *
 * Expected failures come back as `{ code: 'AREA.REASON', message }`; anything unexpected is
 * logged and thrown, so the platform (or the local cloud) reports it as a server error.
 */
import * as v from 'valibot';
import {
  fail,
  isFailure,
  noticesFor,
  parseEvent,
  transition,
  viewWish,
  type Actor,
  type Answer,
  type Command,
  type Failure,
  type Wish,
  type WishView,
} from '../src/core';
import { callerOpenId } from './cloud';
import { contentCheck, textsOf, type MediaSubmission } from './contentCheck';
import { recordMediaChecks } from './mediaChecks';
import { deliver } from './notify';
import { attachPhotos } from './photos';
import { getWish, loadActor, replaceIfVersion, type OrgDoc, type UserDoc } from './store';
import { auditAction, auditState, logReveals, rateLimit } from './trust';

export type CloudFunction = (event: unknown, context: unknown) => Promise<Answer<unknown>>;
type Schema = v.GenericSchema<unknown, unknown>;

export interface Caller {
  actor: Actor;
  user: UserDoc | null;
  org: OrgDoc | null;
  now: Date;
}

/** Validate, identify, run `body`, answer. Every function goes through here. */
export function defineFunction<S extends Schema, T>(
  name: string,
  schema: S,
  body: (event: v.InferOutput<S>, caller: Caller) => Promise<T | Failure>,
  opts: { write?: boolean } = {},
): CloudFunction {
  return async (event, context) => {
    try {
      const parsed = parseEvent(schema, event);
      if (!parsed.ok) return answer(parsed);
      const openid = callerOpenId(context);
      if (!openid) return answer(fail('AUTH.NO_IDENTITY'));
      const { actor, user, org } = await loadActor(openid);
      const now = new Date();
      // Writes are rate-limited per user and function (server/trust.ts limitFor).
      const limited = opts.write ? await rateLimit(name, actor, now) : null;
      if (limited) return answer(limited);
      return answer(await body(parsed.value, { actor, user, org, now }));
    } catch (e) {
      console.error(`[${name}]`, e);
      throw e;
    }
  };
}

const MAX_ATTEMPTS = 4;

/**
 * A stage function: restore → transition → persist → notify. A lost version race is retried against the
 * fresh wish, where the core gives the right refusal (e.g. WISH.ALREADY_CLAIMED).
 * A retry carrying the same requestId as an applied transition returns the wish without writing.
 * `before` runs an extra check that needs the database (e.g. the claim limit) after validation.
 */
export function defineStage<S extends Schema>(
  name: string,
  schema: S,
  command: (event: v.InferOutput<S>, caller: Caller) => Command | Failure,
  options: { before?: (event: v.InferOutput<S>, caller: Caller) => Promise<Failure | null> } = {},
): CloudFunction {
  return defineFunction(
    name,
    schema,
    async (event, caller): Promise<WishView | Failure> => {
      const { wishId, requestId } = event as { wishId: string; requestId?: string };
      const cmd = command(event, caller);
      if (isFailure(cmd)) return cmd;
      const refused = await options.before?.(event, caller);
      if (refused) return refused;
      return runStage(name, event as Record<string, unknown>, wishId, cmd, caller, requestId);
    },
    { write: true },
  );
}

/**
 * Restore → transition → conditional update, then what follows a stored transition: the audit log and
 * reveal log, and the notifications. Texts and photos in the event pass the content check once the action
 * is allowed and before anything is written. `publish` with many ids calls this once per wish.
 */
export async function runStage(
  name: string,
  event: Record<string, unknown>,
  wishId: string,
  cmd: Command,
  caller: Caller,
  requestId?: string,
): Promise<WishView | Failure> {
  let checked = false;
  let traces: MediaSubmission['traces'] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const wish = await getWish(wishId);
    if (!wish) return fail('WISH.NOT_FOUND');
    if (requestId && wish.timeline.some((e) => e.requestId === requestId && e.actorId === caller.actor.id)) {
      return viewWish(wish, caller.actor);
    }
    const result = transition(wish, cmd, caller.actor, caller.now, requestId);
    if (!result.ok) return result;
    if (!checked) {
      // Photos are accepted only if the caller uploaded them for this action on this wish (server/photos.ts).
      const photos = Array.isArray(event.photos) ? (event.photos as string[]) : [];
      if (photos.length) {
        if (cmd.type !== 'progress' && cmd.type !== 'fulfil') return fail('PHOTO.NOT_OWNED');
        const refused = await attachPhotos(photos, caller.actor.id, cmd.type, wishId, caller.now);
        if (refused) return refused;
      }
      const checkedTexts = await checkTexts(event, caller.actor.id);
      if (isFailure(checkedTexts)) return checkedTexts;
      traces = checkedTexts.traces;
      checked = true;
    }
    if (await replaceIfVersion(wish, result.wish)) {
      // The photos' checks point at this wish only now that it is stored; their verdicts arrive later.
      await recordMediaChecks(traces, wishId, caller.actor.id, caller.now);
      await afterTransition(wish, result.wish, cmd, caller, name);
      // Only after the wish is stored; deliver() logs failures and never throws.
      await deliver(noticesFor(wish, result.wish, result.entry), wish.orgId, caller.actor.id, result.entry.at);
      return viewWish(result.wish, caller.actor);
    }
  }
  return fail('WISH.CONFLICT');
}

/** Texts typed into a stage (notes, comments, reasons, summaries) and photos: risky is refused; a text
 * that needs a person's review (or a failed check) is refused too, with a request to rephrase, since
 * these texts are shown to others as soon as they are stored. Photos are submitted to the asynchronous
 * check; their trace ids come back to be recorded once the transition is stored. */
async function checkTexts(event: Record<string, unknown>, openid: string): Promise<Failure | { traces: MediaSubmission['traces'] }> {
  const text = textsOf(event);
  if (text) {
    const r = await contentCheck.text(text, openid, 2);
    if (r.verdict === 'risky') return fail('CONTENT.RISKY');
    if (r.verdict === 'review') return fail('CONTENT.REVIEW', r.failed ? '暂时无法完成内容检查，请稍后再试' : undefined);
  }
  const photos = Array.isArray(event.photos) ? (event.photos as string[]) : [];
  if (!photos.length) return { traces: [] };
  const media = await contentCheck.media(photos, openid, 2);
  if (media.failed) return fail('CONTENT.REVIEW', '暂时无法完成照片检查，请稍后再试');
  return { traces: media.traces };
}

/** After a stored transition: organisers' actions go to the audit log; personal fields shown to a claimer
 * or organiser are logged as a reveal. */
async function afterTransition(before: Wish, after: Wish, cmd: Command, caller: Caller, via: string): Promise<void> {
  const { actor, now } = caller;
  if (actor.role === 'organiser') {
    await auditAction(actor, {
      at: now.toISOString(),
      action: cmd.type,
      target: { kind: 'wish', id: after._id },
      orgId: after.orgId,
      before: auditState(before),
      after: { ...auditState(after), note: after.timeline[after.timeline.length - 1]?.note ?? '' },
    });
  }
  await logReveals([after], actor, via, now);
}

/**
 * A function run by a timer trigger (no caller). Refused when a user calls it: a timer's context
 * carries no WX_OPENID, a call from the mini-program always does. Any object is a valid timer event unless
 * `schema` says more (a missing event is read as `{}` then); `refusal` is the message a user is refused with.
 */
export function defineScheduled<T>(
  name: string,
  body: (now: Date) => Promise<T>,
  opts: { schema?: Schema; refusal?: string } = {},
): CloudFunction {
  const parse = (event: unknown) => (opts.schema ? parseEvent(opts.schema, event ?? {}) : parseEvent(ANY_OBJECT, event));
  return definePlatform(name, parse, opts.refusal ?? '这是定时任务，不能直接调用', (_event, now) => body(now));
}

/**
 * A function the platform invokes with a message push (消息推送 to a cloud function), e.g. WeChat's
 * `wxa_media_check` verdict. The event is validated first (no database call before); a caller with an
 * identity (a mini-program user) is refused, and functions.rules.json denies client invocation too.
 */
export function definePush<S extends Schema, T>(
  name: string,
  schema: S,
  body: (event: v.InferOutput<S>, now: Date) => Promise<T | Failure>,
): CloudFunction {
  return definePlatform(name, (event) => parseEvent(schema, event), '这是微信平台的推送，不能直接调用', body);
}

/** Any object: parseEvent itself refuses what is not one. */
const ANY_OBJECT = v.unknown();

/** What timers and pushes share: validate (no database call before), refuse any caller with an identity, run. */
function definePlatform<E, T>(
  name: string,
  parse: (event: unknown) => { ok: true; value: E } | Failure,
  refusal: string,
  body: (event: E, now: Date) => Promise<T | Failure>,
): CloudFunction {
  return async (event, context) => {
    try {
      const parsed = parse(event);
      if (!parsed.ok) return answer(parsed);
      if (callerOpenId(context)) return answer(fail('AUTH.FORBIDDEN', refusal));
      return answer(await body(parsed.value, new Date()));
    } catch (e) {
      console.error(`[${name}]`, e);
      throw e;
    }
  };
}

function answer<T>(r: T | Failure): Answer<T> {
  return isFailure(r) ? { code: r.code, message: r.message } : { code: 0, data: r };
}
