/**
 * The one place that decides which fields of a wish a viewer gets.
 * Personal data (the resident's name, phone and address) goes only to the resident who posted it,
 * organisers of the wish's organisation and the member whose claim is active. Everyone else gets
 * the public fields: no contact, no actor ids, no evidence photos, no feedback comment.
 */
import { availableActions, inScope, type ActionType, type Actor, type Extension, type Wish } from './wish';

/** Who may open a wish at all: its resident, organisers of its organisation, and members of that
 * organisation once it is on the board (or while it is their claim). */
export function canView(wish: Wish, viewer: Actor): boolean {
  if (wish.residentId !== null && wish.residentId === viewer.id) return true;
  if (!inScope(viewer, wish.orgId)) return false;
  if (viewer.role === 'organiser') return true;
  if (viewer.role !== 'member') return false;
  if (wish.claim?.kind === 'member' && wish.claim.memberId === viewer.id) return true;
  return ['published', 'claimed', 'fulfilled', 'reviewed', 'closed'].includes(wish.status);
}

export function canSeeContact(wish: Wish, viewer: Actor): boolean {
  if (viewer.role === 'organiser' && inScope(viewer, wish.orgId)) return true;
  if (wish.residentId !== null && wish.residentId === viewer.id) return true;
  return viewer.role === 'member' && wish.status === 'claimed' && wish.claim?.kind === 'member' && wish.claim.memberId === viewer.id;
}

/** Who sees the evidence (fulfilment note and photos, progress photos): those who see the contact, and the
 * claiming member even after their claim is done. Never the board or other members. */
export function canSeeEvidence(wish: Wish, viewer: Actor): boolean {
  return canSeeContact(wish, viewer) || (viewer.role === 'member' && wish.claim?.kind === 'member' && wish.claim.memberId === viewer.id);
}

/** The file ids of a wish this viewer may see, decided per place like the fields they sit beside: the resident's
 * own photos with the contact (canSeeContact), evidence (fulfilment and progress photos) with canSeeEvidence.
 * The `fileUrls` function hands out temporary URLs only for these. */
export function visiblePhotosOf(wish: Wish, viewer: Actor): string[] {
  return [
    ...(canSeeContact(wish, viewer) ? (wish.photos ?? []) : []),
    ...(canSeeEvidence(wish, viewer) ? [...(wish.fulfilment?.photos ?? []), ...wish.timeline.flatMap((e) => e.photos ?? [])] : []),
  ];
}

/** Fields the public claim board may show. Used as the database projection of the board query. */
export const BOARD_FIELDS = ['_id', 'title', 'summary', 'category', 'orgId', 'status', 'publishedAt', 'createdAt', 'urgent'] as const;
export type BoardItem = Pick<Wish, (typeof BOARD_FIELDS)[number]> & { name?: string; orgName?: string };
/** What the board query reads from the database: the public fields and the contact name, which leaves the
 * server only masked (`maskName`). */
export const BOARD_QUERY_FIELDS = [...BOARD_FIELDS, 'contact.name'] as const;

export function boardItem(wish: Pick<Wish, (typeof BOARD_FIELDS)[number]> & { contact?: { name?: string } }): BoardItem {
  const out = {} as Record<string, unknown>;
  for (const f of BOARD_FIELDS) out[f] = wish[f];
  out.name = maskName(wish.contact?.name ?? '');
  return out as BoardItem;
}

/** The name everyone but the resident, the active claimer and organisers sees: surname + 某 (王秀英 → 王某). */
export function maskName(name: string): string {
  const first = Array.from(name.trim())[0];
  return first ? `${first}某` : '';
}

export interface WishView
  extends Omit<Wish, 'contact' | 'content' | 'residentId' | 'enteredBy' | 'claim' | 'fulfilment' | 'feedback' | 'timeline' | 'photos' | 'boardRank'> {
  photos?: string[]; // the resident's own photos: private views only
  content?: string;
  contact?: Wish['contact'];
  claim: { kind: string; promisedBy: string; at: string; assignee: string | null; mine: boolean; extension?: Extension | null } | null;
  fulfilment?: Wish['fulfilment'];
  feedback?: Wish['feedback'] | { satisfaction: string; at: string; callback: boolean };
  timeline: Array<Omit<Wish['timeline'][number], 'actorId' | 'requestId' | 'photos'> & { actorId?: string; photos?: string[] }>;
  name: string; // masked (surname + 某) unless `private`
  mine: boolean; // the viewer posted it
  private: boolean; // the viewer sees the personal fields
  actions: ActionType[];
}

export function viewWish(wish: Wish, viewer: Actor): WishView {
  const full = canSeeContact(wish, viewer);
  const evidence = canSeeEvidence(wish, viewer);
  const { contact, content, residentId, enteredBy, claim, fulfilment, feedback, timeline, sensitive, photos, boardRank, ...rest } = wish;
  void boardRank;
  void enteredBy;
  return {
    ...rest,
    ...(full ? { content, contact, photos: photos ?? [], ...(sensitive ? { sensitive } : {}) } : {}),
    ...(evidence ? { fulfilment } : {}),
    name: full ? contact.name : maskName(contact.name),
    feedback: feedback ? (full ? feedback : { satisfaction: feedback.satisfaction, at: feedback.at, callback: feedback.callback }) : null,
    claim: claim
      ? {
          kind: claim.kind,
          promisedBy: claim.promisedBy,
          at: claim.at,
          assignee: claim.assignee,
          mine: claim.memberId === viewer.id,
          ...(full ? { extension: claim.extension ?? null } : {}),
        }
      : null,
    timeline: timeline.map(({ actorId, requestId, photos: entryPhotos, ...e }) => {
      void requestId;
      return { ...e, ...(full ? { actorId } : {}), ...(evidence && entryPhotos ? { photos: entryPhotos } : {}) };
    }),
    mine: residentId !== null && residentId === viewer.id,
    private: full,
    actions: availableActions(wish, viewer),
  };
}
