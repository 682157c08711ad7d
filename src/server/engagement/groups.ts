/**
 * Group buys — Pinduoduo's team price (DESIGN.md §8.3 `group.open` / `group.update` / `group.close`, §8.4): the
 * price unlocks for every member when `needed` customers joined before `endsAt`; otherwise nobody pays it.
 *
 * - One membership per customer: a join first `create`s `group.<show>.<group>.member.<customer>` (exact on
 *   nats-server 2.9.10 R3); a second join of the same customer on any node finds it and answers the same.
 * - Exact count: a member then claims the numbered slot `group.<show>.<group>.slot.<n>` with a `create`,
 *   trying n from the count it knows plus one upwards. A slot is claimed only after every lower one was seen
 *   taken, so the taken slots are always 1…k: k is the count, the n-th member knows it is n, and no slot
 *   beyond `needed` is ever tried (a join that finds them all taken is `410 filled`, its record removed).
 * - Filled: the member who takes slot `needed` appends `group.close {reason: 'filled'}` at once.
 * - Expired: at `endsAt` every node holding the show puts `group.<show>.<group>.closed`, counts the slots
 *   (slot `needed` taken means filled after all) and appends `group.close`. A join reads that marker after its
 *   slot: a slot taken before the marker was counted; a join that sees the marker closes too and keeps its
 *   membership only if the stored close counted its slot.
 * - Once: every close has the id `group-close-<show>-<group>`; the bus keeps the first, and every closer
 *   answers what the stored one says.
 * - `group.update {joined}`: a node that took joins claims `group.<show>.<group>.pub.<period>` and appends the
 *   count, at most once per period (two a second) over all nodes.
 */
import type {ShowBus} from '../bus/types.js';
import type {HookSender} from '../hooks.js';
import {BusConflictError} from '../bus/types.js';
import type {GroupBuy, ShowState} from '../../core/schema.js';
import {ShowInputError, type ShowLogs, type ViewerIdentity} from '../types.js';
import {DEFAULT_AUTHOR} from './chat.js';
import {assertShow, claim, createJanitor, keyPart, sleepUntil, tickEvery, type EngagementLog} from './period.js';
import {checkEngagementId, createDeadlines, currentOf, notFound, skipRefusal, viewerKey} from './show-time.js';

/** How long a join waits for the same customer's join under way on another request before taking it over. */
const IN_FLIGHT_MS = 3000;
/** How long `group.update`'s per-period claims are kept. */
const KEEP_CLAIMS_MS = 10 * 60_000;

/** How a group ended. */
export type GroupEnd = 'filled' | 'expired';

/** What a join answers (`201` for a new member, `200` for a member already). */
export interface GroupJoin {
  /** Members so far (for a new member: at least its own number). */
  joined: number;
  needed: number;
  endsAt: string;
  member: true;
}

/** What a customer reads of their membership (`GET …/groups/{group}/membership`). */
export interface GroupMembership {
  member: boolean;
  joined: number;
  needed: number;
  /** How the group ended, once it has. */
  ended?: GroupEnd;
}

/** A filled group, for the merchant's hook (`group.filled`): the customers (`sub`) who get the team price. */
export interface GroupFilled {
  show: string;
  groupId: string;
  productId: string;
  variantId?: string;
  price: GroupBuy['price'];
  members: string[];
}

/** Options of `createGroups`. */
export interface GroupsOptions {
  bus: ShowBus;
  logs: ShowLogs;
  /** This node's id (unique among the nodes; made KV-safe here). */
  node: string;
  log: EngagementLog;
  /** At most one `group.update` per group per period. Default 500 ms. */
  periodMs?: number;
  /** Where `group.filled` goes when the merchant has a hook (src/server/hooks.ts): once per filled group, from one node. */
  hooks?: HookSender;
}

/** A node's share of the group buys. */
export interface Groups {
  /**
   * Joins `identity` (a customer) to `show`'s group `groupId`: `created` is false for a member already.
   * Rejects with a `ShowInputError`: 401 `unauthorized` (anonymous), 404 `not-found`, 410 `filled` or `ended`.
   */
  join(show: string, groupId: string, identity: ViewerIdentity): Promise<{created: boolean; answer: GroupJoin}>;
  /** Whether `identity` (a customer: else 401) is a member, the count and the end; 404 for an unknown group. */
  membership(show: string, groupId: string, identity: ViewerIdentity): Promise<GroupMembership>;
  /** Stops updating and closing on this node. */
  stop(): Promise<void>;
}

/** A member's record: the customer and, once claimed, their slot. */
interface MemberRecord {
  sub: string;
  name: string;
  at: number;
  slot?: number;
}

/** Starts this node's group buys: joins, `group.update`, and the close at `endsAt`. */
export function createGroups({bus, logs, node, log, periodMs = 500, hooks}: GroupsOptions): Groups {
  const kv = bus.kv;
  const me = keyPart(node);
  const janitor = createJanitor(kv, log);
  const deadlines = createDeadlines(log, 'groups');
  /** Per group this node joined people to: the highest slot it knows is taken, and whether to publish it. */
  const known = new Map<string, {show: string; groupId: string; joined: number; dirty: boolean}>();
  let stopped = false;

  const keys = (show: string, groupId: string) => {
    const base = `group.${show}.${groupId}`;
    return {
      member: (customer: string) => `${base}.member.${customer}`,
      slots: `${base}.slot.`,
      slot: (n: number) => `${base}.slot.${n}`,
      closed: `${base}.closed`,
      pub: (period: number) => `${base}.pub.${period}`,
      hook: `${base}.hook`,
    };
  };

  /** The show's group `groupId`, read again from the log when this node does not have it yet; else a 404. */
  async function groupOf(show: string, groupId: string, fresh = false): Promise<GroupBuy> {
    const group = await currentOf(logs, show, 'group', groupId, {fresh});
    if (!group) throw notFound('group', groupId);
    return group;
  }

  const knownOf = (show: string, groupId: string) => known.get(`${show}\n${groupId}`)?.joined ?? 0;
  function note(show: string, groupId: string, joined: number, dirty: boolean): void {
    const id = `${show}\n${groupId}`;
    const entry = known.get(id) ?? {show, groupId, joined: 0, dirty: false};
    entry.joined = Math.max(entry.joined, joined);
    entry.dirty ||= dirty;
    known.set(id, entry);
  }

  /** The members so far: slots are taken 1…k, so the first free slot above what is known ends the count. */
  async function count(show: string, group: GroupBuy): Promise<number> {
    let n = Math.max(group.joined, knownOf(show, group.groupId));
    while (n < group.needed && (await kv.get(keys(show, group.groupId).slot(n + 1)))) n++;
    note(show, group.groupId, n, false);
    return n;
  }

  /** Claims the lowest free slot for `customer`; null when all `needed` are taken. */
  async function claimSlot(show: string, group: GroupBuy, customer: string, record: MemberRecord): Promise<number | null> {
    const k = keys(show, group.groupId);
    const value = JSON.stringify({customer, sub: record.sub, name: record.name});
    for (let n = Math.max(group.joined, knownOf(show, group.groupId)) + 1; n <= group.needed; n++) {
      if (await claim(kv, k.slot(n), value)) return n;
      note(show, group.groupId, n, false);
    }
    return null;
  }

  /** `customer`'s slot when a slot holds them (a join that died between its slot and its record). */
  async function slotHolding(show: string, groupId: string, customer: string): Promise<number | null> {
    for (const [key, entry] of await kv.list(keys(show, groupId).slots)) {
      if (parseSlot(entry.value)?.customer === customer) return Number(key.slice(key.lastIndexOf('.') + 1));
    }
    return null;
  }

  /**
   * Closes `group` (see the file's note) and answers the stored close: `filled` when the caller took slot
   * `needed`, else the expiry's count decides.
   */
  async function close(show: string, group: GroupBuy, filled: boolean): Promise<{reason: GroupEnd; joined: number}> {
    const latest = (await logs.state(show, {fresh: true})).group;
    if (latest?.groupId === group.groupId && latest.ended) return {reason: latest.ended, joined: latest.joined};
    let joined = group.needed;
    if (!filled) {
      await kv.put(keys(show, group.groupId).closed, String(Date.now()));
      joined = await count(show, group);
    }
    const reason: GroupEnd = joined >= group.needed ? 'filled' : 'expired';
    const entry = await logs.serverEvent(show, {type: 'group.close', id: `group-close-${show}-${group.groupId}`, groupId: group.groupId, joined, reason});
    const stored = entry.event as {reason?: unknown; joined?: unknown};
    const result = {reason: stored.reason === 'filled' ? 'filled' : 'expired', joined: typeof stored.joined === 'number' ? stored.joined : joined} as const;
    if (result.reason === 'filled' && hooks) await tellFilled(show, group).catch((error: unknown) => log.warn({err: error, show, groupId: group.groupId}, 'groups: the filled hook failed'));
    return result;
  }

  /**
   * Posts the `group.filled` hook with the members' customer ids, from the first node to claim the group's hook
   * key (its idempotency id is the group's, so a receiver keeps one even were it sent twice).
   */
  async function tellFilled(show: string, group: GroupBuy): Promise<void> {
    const k = keys(show, group.groupId);
    if (!(await claim(kv, k.hook, me))) return;
    const members = [...(await kv.list(k.slots)).values()].map((entry) => parseSlot(entry.value)?.sub).filter((sub) => typeof sub === 'string');
    const {groupId, productId, variantId, price} = group;
    const filled: GroupFilled = {show, groupId, productId, ...(variantId && {variantId}), price, members};
    void hooks!.send(`group-filled-${show}-${groupId}`, {type: 'group.filled', ...filled});
  }

  /** The 410 for a group that ended (or whose `endsAt` passed on the server's clock), or nothing. */
  function refuseEnded(group: GroupBuy): void {
    if (group.ended === 'filled') throw filledError();
    if (group.ended || Date.now() >= Date.parse(group.endsAt)) throw endedError();
  }

  /** The record at `key`, waiting a while for a join of the same customer under way to claim its slot. */
  async function settled(key: string): Promise<MemberRecord | null> {
    const until = Date.now() + IN_FLIGHT_MS;
    for (;;) {
      const record = parseMember((await kv.get(key))?.value);
      if (!record || record.slot !== undefined || Date.now() >= until) return record;
      await sleepUntil(Date.now() + 100);
    }
  }

  async function join(show: string, groupId: string, identity: ViewerIdentity): Promise<{created: boolean; answer: GroupJoin}> {
    assertShow(show);
    checkEngagementId(groupId, 'group');
    if (!identity.customer) throw new ShowInputError(401, 'unauthorized', 'Joining a group needs a signed-in customer: send Authorization: Bearer <viewer token>.');
    const group = await groupOf(show, groupId);
    const customer = viewerKey(identity.id);
    const memberKey = keys(show, groupId).member(customer);
    const answer = (joined: number): GroupJoin => ({joined, needed: group.needed, endsAt: group.endsAt, member: true});
    const record: MemberRecord = {sub: identity.id.replace(/^customer:/, ''), name: identity.name || DEFAULT_AUTHOR, at: Date.now()};

    // A member already answers the same, whatever the group's state now. A record without a slot is a join of
    // the same customer under way (waited for) or one that died between the two writes (taken over).
    let existing: MemberRecord | null = null;
    for (let attempt = 0; ; attempt++) {
      existing = await settled(memberKey);
      if (existing?.slot !== undefined) return {created: false, answer: answer(Math.max(existing.slot, await count(show, group)))};
      refuseEnded(attempt ? await groupOf(show, groupId, true) : group);
      if (existing) break;
      try {
        await kv.create(memberKey, JSON.stringify(record));
        break;
      } catch (error) {
        // Another request of this customer got there first: what it becomes is this one's answer too.
        if (!(error instanceof BusConflictError) || attempt >= 2) throw error;
      }
    }
    const slot = (existing && (await slotHolding(show, groupId, customer))) ?? (await claimSlot(show, group, customer, record));
    if (slot === null) {
      await kv.delete(memberKey).catch(() => {});
      throw filledError();
    }
    await kv.put(memberKey, JSON.stringify({...record, slot}));
    note(show, groupId, slot, true);
    if (slot === group.needed || (await kv.get(keys(show, groupId).closed))) {
      const closed = await close(show, group, slot === group.needed);
      // The expiry counted the slots after its marker: a slot it did not count is no membership.
      if (closed.reason === 'expired' && slot > closed.joined) {
        await kv.delete(memberKey).catch(() => {});
        throw endedError();
      }
    }
    return {created: true, answer: answer(slot)};
  }

  /** Appends the count of each group this node took joins for, one node per period. */
  async function tick(index: number): Promise<void> {
    const period = index - 1;
    for (const entry of known.values()) {
      if (!entry.dirty) continue;
      entry.dirty = false;
      const {show, groupId} = entry;
      try {
        const group = (await logs.state(show)).group;
        if (group?.groupId !== groupId || group.ended) continue;
        if (!(await claim(kv, keys(show, groupId).pub(period), me))) continue;
        janitor.later(keys(show, groupId).pub(period), Date.now() + KEEP_CLAIMS_MS);
        const joined = await count(show, group);
        if (joined > group.joined && joined < group.needed) {
          // The id makes a second append for this period (were there ever two winners) a duplicate the bus drops.
          await logs.serverEvent(show, {type: 'group.update', id: `group-update-${show}-${groupId}-${period}`, groupId, joined});
        }
      } catch (error) {
        entry.dirty = true;
        log.warn({err: error, show, groupId}, 'groups: an update was not sent');
      }
    }
    for (const [id, entry] of known) if (!entry.dirty && (await logs.state(entry.show)).group?.groupId !== entry.groupId) known.delete(id);
    await janitor.sweep();
  }

  /** Every node holding a show closes its open group at `endsAt`. */
  function watch(show: string, state: ShowState): void {
    const group = state.group;
    if (!group || group.ended || stopped) return;
    deadlines.at(show, group.groupId, Date.parse(group.endsAt), async () => {
      try {
        const current = await groupOf(show, group.groupId, true);
        if (!current.ended) await close(show, current, false);
      } catch (error) {
        skipRefusal(error);
      }
    });
  }

  const unwatch = logs.watch(watch);
  const ticker = tickEvery(periodMs, tick, log, 'groups');

  return {
    join,
    async membership(show, groupId, identity) {
      assertShow(show);
      checkEngagementId(groupId, 'group');
      if (!identity.customer) throw new ShowInputError(401, 'unauthorized', 'A membership is a signed-in customer\'s: send Authorization: Bearer <viewer token>.');
      const group = await groupOf(show, groupId);
      const record = parseMember((await kv.get(keys(show, groupId).member(viewerKey(identity.id))))?.value);
      const member = record?.slot !== undefined;
      const joined = group.ended ? group.joined : await count(show, group);
      return {member, joined, needed: group.needed, ...(group.ended && {ended: group.ended})};
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      unwatch();
      await ticker.stop();
      await deadlines.stop();
    },
  };
}

const filledError = () => new ShowInputError(410, 'filled', 'This group is full: it filled before you joined.');
const endedError = () => new ShowInputError(410, 'ended', 'This group has ended.');

/** A member record (never trusted to be well formed), or null. */
function parseMember(value: string | undefined): MemberRecord | null {
  if (value === undefined) return null;
  try {
    const raw = JSON.parse(value) as Partial<MemberRecord>;
    if (typeof raw.sub !== 'string' || typeof raw.name !== 'string') return null;
    const record: MemberRecord = {sub: raw.sub, name: raw.name, at: Number(raw.at) || 0};
    if (Number.isSafeInteger(raw.slot) && (raw.slot as number) > 0) record.slot = raw.slot;
    return record;
  } catch {
    return null;
  }
}

/** A slot's holder `{customer, sub}`, or null. */
function parseSlot(value: string): {customer: string; sub: string} | null {
  try {
    const {customer, sub} = JSON.parse(value) as {customer?: unknown; sub?: unknown};
    return typeof customer === 'string' && typeof sub === 'string' ? {customer, sub} : null;
  } catch {
    return null;
  }
}
