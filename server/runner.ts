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
  isPhotoPurpose,
  carry,
  fail,
  isFailure,
  parseEvent,
  transition,
  viewWish,
  type Actor,
  type Answer,
  type Command,
  type Effect,
  type Failure,
  type StoredWish,
  type WishView,
} from '../src/core';
import { callerAnonymousId, callerAppId, callerOpenId, hasEndUser, hasWebLogin, platformNow } from './cloud';
import type { Reservation } from './claimSlots';
import { contentCheck, textsOf, type MediaSubmission } from './contentCheck';
import { IN_WISH, dispatch, freshAfter } from './effects';
import { recordMediaChecks } from './mediaChecks';
import { attachPhotos } from './photos';
import { getWish, loadActor, replaceIfVersion, type OrgDoc, type UserChange, type UserDoc } from './store';
import { countWrite, loadWriter, overLimit } from './trust';

export type CloudFunction = (event: unknown, context: unknown) => Promise<Answer<unknown>>;
type Schema = v.GenericSchema<unknown, unknown>;

export interface Caller {
  actor: Actor;
  user: UserDoc | null;
  org: OrgDoc | null;
  now: Date;
  /** Whether the function's `userChange` was made to the caller's document as loaded (`user`). */
  changed: boolean;
}

/**
 * Validate, identify, run `body`, answer. Every function goes through here. Once the event is valid and the
 * caller known, what needs only the caller's openid goes in one round: loading the caller — for a write, in the
 * same request that counts it against the rate limit and makes the function's `userChange` (server/trust.ts
 * loadWriter) — and the function's own `prefetch` (e.g. the wish a stage acts on). Nothing prefetched is used
 * before the caller's role and the limit are checked.
 */
export function defineFunction<S extends Schema, T, P = undefined>(
  name: string,
  schema: S,
  body: (event: v.InferOutput<S>, caller: Caller, prefetched: P) => Promise<T | Failure>,
  opts: {
    write?: boolean;
    prefetch?: (event: v.InferOutput<S>, openid: string, now: Date) => Promise<P>;
    /** A change to the caller's own document made by the write's first request (e.g. the claim's slot). */
    userChange?: (event: v.InferOutput<S>, openid: string, now: Date) => UserChange;
    /** Undoes what the first round reserved when the call is refused before `body` runs (the rate limit). */
    abandon?: (prefetched: P, event: v.InferOutput<S>, caller: Caller) => Promise<void>;
    /** Events an anonymous CloudBase login may send (server/cloud.ts callerAnonymousId); none unless given. */
    anonymous?: (event: v.InferOutput<S>) => boolean;
  } = {},
): CloudFunction {
  return async (event, context) => {
    try {
      const parsed = parseEvent(schema, event);
      if (!parsed.ok) return answer(parsed);
      const openid = callerOpenId(context);
      if (!openid) {
        const anon = opts.anonymous?.(parsed.value) ? callerAnonymousId(context) : null;
        if (!anon) return answer(fail('AUTH.NO_IDENTITY'));
        // No user record, no role beyond a resident without an organisation; rate-limited under its own id.
        const now = new Date();
        const actor: Actor = { id: anon, role: 'resident', orgId: null };
        const count = opts.write ? await countWrite(name, anon, now) : 0;
        const limited = opts.write ? overLimit(name, actor, count) : null;
        if (limited) return answer(limited);
        return answer(await body(parsed.value, { actor, user: null, org: null, now, changed: false }, undefined as P));
      }
      const now = new Date();
      const [{ actor, user, org, count, changed }, prefetched] = await Promise.all([
        // Writes are rate-limited per user and function (server/trust.ts limitFor), counted as the caller is loaded.
        opts.write
          ? loadWriter(name, openid, now, opts.userChange?.(parsed.value, openid, now))
          : loadActor(openid).then((loaded) => ({ ...loaded, count: 0, changed: false })),
        opts.prefetch ? opts.prefetch(parsed.value, openid, now) : (undefined as P),
      ]);
      const caller: Caller = { actor, user, org, now, changed };
      const limited = opts.write ? overLimit(name, actor, count) : null;
      if (limited) {
        await opts.abandon?.(prefetched, parsed.value, caller);
        return answer(limited);
      }
      return answer(await body(parsed.value, caller, prefetched));
    } catch (e) {
      console.error(`[${name}]`, e);
      throw e;
    }
  };
}

/**
 * A function anyone may call, with or without a sign-in (functions.rules.json `invoke: true`): no caller is loaded and
 * none is needed. The event is validated first (a missing one is read as `{}`; no database call before), then `body`
 * answers the same for anyone.
 */
export function definePublic<S extends Schema, T>(
  name: string,
  schema: S,
  body: (event: v.InferOutput<S>, now: Date) => Promise<T | Failure>,
): CloudFunction {
  return async (event) => {
    try {
      const parsed = parseEvent(schema, event ?? {});
      if (!parsed.ok) return answer(parsed);
      return answer(await body(parsed.value, new Date()));
    } catch (e) {
      console.error(`[${name}]`, e);
      throw e;
    }
  };
}

/** A caller who is an organiser of an organisation that exists (its document loaded). */
export interface OrganiserCaller extends Caller {
  actor: Actor & { role: 'organiser'; orgId: string };
  org: OrgDoc;
}

/** The one organiser check (issue 21): the caller is an organiser of an existing organisation (loadActor clears the
 * orgId of one that does not exist), or `refusal` as AUTH.FORBIDDEN. */
export function requireOrganiser(caller: Caller, refusal = '只有社区或党组织工作人员可以这样做'): Failure | null {
  return caller.actor.role === 'organiser' && caller.actor.orgId && caller.org ? null : fail('AUTH.FORBIDDEN', refusal);
}

/** A function for organisers only: `requireOrganiser` refuses anyone else with `refusal` before `body` runs. */
export function defineOrganiserFunction<S extends Schema, T, P = undefined>(
  name: string,
  schema: S,
  refusal: string,
  body: (event: v.InferOutput<S>, caller: OrganiserCaller, prefetched: P) => Promise<T | Failure>,
  opts: Parameters<typeof defineFunction<S, T, P>>[3] = {},
): CloudFunction {
  return defineFunction<S, T, P>(
    name,
    schema,
    async (event, caller, prefetched) => requireOrganiser(caller, refusal) ?? body(event, caller as OrganiserCaller, prefetched),
    opts,
  );
}

const MAX_ATTEMPTS = 4;

/**
 * A stage function: restore → transition → persist (wish and effects in one conditional update) → deliver the
 * effects. A lost version race is retried against the fresh wish, where the core gives the right refusal
 * (e.g. WISH.ALREADY_CLAIMED). A retry carrying the same requestId as an applied transition writes no second
 * step: it finishes the effects still pending and returns the wish.
 * `reserve` is a counter the step takes before its write (claim: a slot under the member's claim limit): `change`
 * is made to the caller's document by the first round's request that loads the caller (by the caller's openid and
 * the event only), and `bind` makes, from the document as that request returned it, the reservation runStage decides
 * on; whatever refuses the call afterwards gives it back (`Reservation.undo`).
 */
export function defineStage<S extends Schema>(
  name: string,
  schema: S,
  command: (event: v.InferOutput<S>, caller: Caller) => Command | Failure,
  options: {
    reserve?: {
      change: (event: v.InferOutput<S>, openid: string, now: Date) => UserChange;
      bind: (event: v.InferOutput<S>, caller: Caller) => Reservation;
    };
  } = {},
): CloudFunction {
  const { reserve } = options;
  return defineFunction<S, WishView, StoredWish | null>(
    name,
    schema,
    async (event, caller, wish): Promise<WishView | Failure> => {
      const { wishId, requestId } = event as { wishId: string; requestId?: string };
      const reservation = reserve?.bind(event, caller);
      const cmd = command(event, caller);
      if (isFailure(cmd)) {
        await reservation?.undo(wish);
        return cmd;
      }
      return runStage(name, event as Record<string, unknown>, wishId, cmd, caller, requestId, wish, undefined, reservation);
    },
    {
      write: true,
      prefetch: (event) => getWish((event as { wishId: string }).wishId),
      userChange: reserve?.change,
      abandon: async (wish, event, caller) => reserve?.bind(event, caller).undo(wish),
    },
  );
}

/**
 * Restore → transition → one conditional update storing the next wish with its effects (`pending`) → deliver
 * the effects and clear them (server/effects.ts). Texts and photos in the event pass the content check once the
 * action is allowed and before anything is written. `prefetched` is the wish already read (the first attempt);
 * `publish` with many ids reads them in one request, calls this once per wish and delivers all their effects
 * at once (`deliver`).
 */
export async function runStage(
  name: string,
  event: Record<string, unknown>,
  wishId: string,
  cmd: Command,
  caller: Caller,
  requestId?: string,
  prefetched?: StoredWish | null,
  deliver: (wishId: string, pending: Effect[], fresh: boolean) => Promise<unknown> = (id, pending, fresh) =>
    dispatch(id, pending, IN_WISH, { fresh }),
  reservation?: Reservation,
): Promise<WishView | Failure> {
  let checked = false;
  let reserved = false;
  // A refusal gives the reservation back (its request went out with the first round; e.g. a lost race,
  // WISH.ALREADY_CLAIMED), if the wish as read is not the caller's. A write that ran out of attempts or threw keeps
  // it: a slot too many is released later (server/claimSlots.ts), one too few never arises.
  const refuse = async (f: Failure, read: StoredWish | null) => {
    await reservation?.undo(read);
    return f;
  };
  let traces: MediaSubmission['traces'] = [];
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const wish = attempt === 0 && prefetched !== undefined ? prefetched : await getWish(wishId);
    if (!wish) return refuse(fail('WISH.NOT_FOUND'), null);
    if (requestId && wish.timeline.some((e) => e.requestId === requestId && e.actorId === caller.actor.id)) {
      // Applied before (the caller retried): finish what that attempt may have left undelivered.
      if (wish.pending?.length) await deliver(wish._id, wish.pending, false);
      return viewWish(wish, caller.actor, caller.now);
    }
    const result = transition(wish, cmd, caller.actor, caller.now, requestId, name);
    if (!result.ok) return refuse(result, wish);
    if (!checked) {
      // Photos are accepted only if the caller uploaded them for this action on this wish (server/photos.ts).
      const photos = Array.isArray(event.photos) ? (event.photos as string[]) : [];
      if (photos.length) {
        if (!isPhotoPurpose(cmd.type)) return refuse(fail('PHOTO.NOT_OWNED'), wish); // core validation.ts
        const refused = await attachPhotos(photos, caller.actor.id, cmd.type, wishId, caller.now);
        if (refused) return refuse(refused, wish);
      }
      const checkedTexts = await checkTexts(event, caller.actor.id);
      if (isFailure(checkedTexts)) return refuse(checkedTexts, wish);
      traces = checkedTexts.traces;
      checked = true;
    }
    if (reservation && !reserved) {
      // Decided once the step is allowed, before it is written.
      const refused = await reservation.take();
      if (refused) return refuse(refused, wish);
      reserved = true;
    }
    // The effects travel with the wish: what an earlier step left undelivered is carried, never lost.
    const effects = reservation ? result.effects.filter((e) => !reservation.covers(e)) : result.effects;
    const pending = carry(wish.pending, effects);
    if (await replaceIfVersion(wish, { ...result.wish, pending })) {
      // The photos' checks point at this wish only now that it is stored; their verdicts arrive later.
      if (traces.length) await recordMediaChecks(traces, wishId, caller.actor.id, caller.now);
      await deliver(wishId, pending, freshAfter(wish));
      return viewWish(result.wish, caller.actor, caller.now);
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
 * `wxa_media_check` verdict. A push is recognised by its own event: `MsgType` and `Event` as `push` names them, and
 * the mini-program's `appid`. WeChat may run the function with an openid in its context (its push-to-cloud-function
 * example reads OPENID: https://developers.weixin.qq.com/miniprogram/dev/wxcloud/guide/functions/openapi.html), so
 * a call with an identity is accepted only when its event is such a push and its `appid` is the context's WX_APPID;
 * any other call with an identity (a mini-program user's ordinary event) is refused before anything else. Then the
 * event is validated (no database call before). functions.rules.json denies client invocation too (`invoke: false`):
 * that, not this check, is what keeps a user from forging a push.
 */
export function definePush<S extends Schema, T>(
  name: string,
  push: { MsgType: string; Event: string },
  schema: S,
  body: (event: v.InferOutput<S>, now: Date) => Promise<T | Failure>,
): CloudFunction {
  const isPush = (event: unknown, context: unknown) => {
    if (typeof event !== 'object' || event === null) return false;
    const e = event as Record<string, unknown>;
    const appId = callerAppId(context);
    return e.MsgType === push.MsgType && e.Event === push.Event && appId !== null && e.appid === appId;
  };
  return definePlatform(name, (event) => parseEvent(schema, event), '这是微信平台的推送，不能直接调用', body, isPush);
}

/**
 * A deployed function that serves several operations (src/core/functions.ts GROUPS): the event's `action` picks the
 * operation's own function — its schema, identity rules, rate limit (counted under the operation's name) and checks —
 * which gets the event without `action`. An event that is not an object, or names no operation of this function, is
 * refused before anything else runs.
 */
export function defineGroup(name: string, operations: Record<string, CloudFunction>): CloudFunction {
  return dispatcher(name, operations, '没有这个功能', (e) => {
    const { action, ...rest } = e;
    return [action, rest];
  });
}

/**
 * The function that holds every timer trigger (src/core/functions.ts GROUPS.timers): CloudBase calls it with its timer
 * event `{ Type: 'Timer', TriggerName, Time }`, and the trigger's name (config.json `triggers[].name`) is the
 * operation's. Each operation is a `defineScheduled` function, which refuses any caller with an identity.
 */
export function defineTimers(name: string, operations: Record<string, CloudFunction>): CloudFunction {
  return dispatcher(name, operations, '没有这个定时任务', (e) => [e.TriggerName, e]);
}

/** What a group and the timers share: an object event, the operation it names (`pick`: the key, and the event the
 * operation gets), one of this function's own, run; otherwise INPUT.INVALID or FUNCTION.NOT_FOUND before anything. */
function dispatcher(
  name: string,
  operations: Record<string, CloudFunction>,
  missing: string,
  pick: (event: Record<string, unknown>) => [unknown, Record<string, unknown>],
): CloudFunction {
  return async (event, context) => {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return answer(fail('INPUT.INVALID', '请求格式不对'));
    const [key, forwarded] = pick(event as Record<string, unknown>);
    const run = typeof key === 'string' && Object.prototype.hasOwnProperty.call(operations, key) ? operations[key] : undefined;
    if (!run) return answer(fail('FUNCTION.NOT_FOUND', `${missing}：${name}.${typeof key === 'string' ? key.slice(0, 40) : ''}`));
    return run(forwarded, context);
  };
}

/** Any object: parseEvent itself refuses what is not one. */
const ANY_OBJECT = v.unknown();

/** What timers and pushes share: refuse a caller with an identity (unless `withIdentity` recognises the call as
 * the platform's own push), validate (no database call before), run. */
function definePlatform<E, T>(
  name: string,
  parse: (event: unknown) => { ok: true; value: E } | Failure,
  refusal: string,
  body: (event: E, now: Date) => Promise<T | Failure>,
  withIdentity: (event: unknown, context: unknown) => boolean = () => false,
): CloudFunction {
  return async (event, context) => {
    try {
      // An event that is no object is refused as such first, whoever sends it; then a caller with an identity, unless the
      // event is the platform's own push that may carry one (withIdentity); then the event's own schema.
      if (event != null && (typeof event !== 'object' || Array.isArray(event))) return answer(fail('INPUT.INVALID', '请求格式不对'));
      // A web login (TCB_UUID) is never the platform; a WeChat openid only where the push may carry one.
      if (hasWebLogin(context) || (hasEndUser(context) && !withIdentity(event, context))) return answer(fail('AUTH.FORBIDDEN', refusal));
      const parsed = parse(event);
      if (!parsed.ok) return answer(parsed);
      return answer(await body(parsed.value, platformNow(context)));
    } catch (e) {
      console.error(`[${name}]`, e);
      throw e;
    }
  };
}

function answer<T>(r: T | Failure): Answer<T> {
  return isFailure(r) ? { code: r.code, message: r.message } : { code: 0, data: r };
}
