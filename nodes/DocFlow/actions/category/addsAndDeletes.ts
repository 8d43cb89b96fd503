import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import type { VerifiedSend } from '../../transport/sendVerified';
import { passing, sendPassed } from './batches';
import type { Outcomes } from './batches';
import { mayHaveBeen } from './lookups';

/**
 * Adds and deletes of the Category resources, which must never be carried out twice: after a
 * lost answer the node looks at what DocFlow has and sends again only what is missing.
 */

/** What a Category Field or Category Table operation works on, as its messages name it. */
export interface Things {
	one: 'field' | 'table';
	resource: 'Category Field' | 'Category Table';
}

export const FIELDS: Things = { one: 'field', resource: 'Category Field' };
export const TABLES: Things = { one: 'table', resource: 'Category Table' };

/** A field or table as DocFlow lists it. */
interface Listed {
	id: string;
	name?: string;
}

export interface NewThings<E, D extends { name: string }> {
	things: Things;
	/** The place they go to, as messages name it: “category 1”, “table “Items” of category 1”. */
	where: string;
	/** What the place holds before the request. */
	existing: Listed[];
	/** The definition an item adds (the spec's field or table). */
	definitionOf: (entry: E) => D;
	/** What the place holds now: asked after a lost answer. */
	listNow: () => Promise<Listed[]>;
	/** Sends `definitions()` (asked again before every send); resolves with DocFlow's result. */
	send: (definitions: () => D[], verify: VerifiedSend['verify']) => Promise<Array<Record<string, unknown>> | undefined>;
	/** What every output item starts with (workspace, category, table). */
	base: IDataObject;
}

/**
 * Adds one request's new fields (or tables) to their place: a name the place has already fails
 * on its own, the rest go in one request. A lost answer is checked with `listNow`: those of
 * these names that were not there before are this request's, and only the others go again.
 */
export async function addNew<E extends { itemIndex: number }, D extends { name: string }>(
	ctx: IExecuteFunctions,
	outcomes: Outcomes,
	members: E[],
	add: NewThings<E, D>,
): Promise<void> {
	const node = ctx.getNode();
	const { one, resource } = add.things;
	const nameOf = (entry: E) => add.definitionOf(entry).name;
	const passed = passing(node, outcomes, members, (m) => {
		const same = add.existing.find((thing) => thing.name === nameOf(m));
		if (!same) return undefined;
		return {
			message: `A ${one} named “${nameOf(m)}” already exists in ${add.where} (${one} ID ${same.id})`,
			description: `Choose another name, or change the existing ${one} with ${resource} → Update.`,
		};
	});
	const beforeIds = new Set(add.existing.map((thing) => String(thing.id)));
	await sendPassed(ctx, outcomes, passed, async (entries) => {
		const found = new Map<E, Listed>();
		let pending = entries;
		let sent: E[] = [];
		const result = await add.send(
			() => {
				sent = [...pending];
				return sent.map(add.definitionOf);
			},
			async () => {
				let now: Listed[];
				try {
					now = await add.listNow();
				} catch {
					throw mayHaveBeen(
						node,
						`The ${one}s ${pending.map((m) => `“${nameOf(m)}”`).join(', ')} may have been added to ${add.where}`,
						`Check the category’s ${one}s (${resource} → Get Many) before running these items again.`,
					);
				}
				const added = now.filter((thing) => !beforeIds.has(String(thing.id)));
				for (const m of pending) {
					const thing = added.find((t) => t.name === nameOf(m));
					if (thing) found.set(m, thing);
				}
				pending = pending.filter((m) => !found.has(m));
				return pending.length === 0 ? 'received' : 'resend';
			},
		);
		const answered = Array.isArray(result) ? result : [];
		const idKey = `${one}_id`;
		return (m) => {
			const listed = found.get(m);
			// DocFlow answers in the order of the request (the spec); by name if it ever does not.
			const position = sent.indexOf(m);
			const byPosition = position >= 0 ? answered[position] : undefined;
			const entry =
				byPosition && (byPosition.name === undefined || byPosition.name === nameOf(m))
					? byPosition
					: answered.find((r) => r?.name === nameOf(m));
			// Found after a lost answer: as the place lists it; else DocFlow's answer. Its ID as field_id (or table_id).
			const known = listed
				? { ...listed, [idKey]: String(listed.id) }
				: { ...entry, [idKey]: String(entry?.[idKey] ?? '') };
			const json: IDataObject = { ...add.base, ...add.definitionOf(m), ...known };
			delete json.id;
			return json;
		};
	});
}

/**
 * What a delete sends and how it checks a lost answer: `ids()` is asked before every send;
 * after a lost answer, gone means done and only what is still there goes again. When the look-up
 * fails too, `lookupFailed` says what may have been deleted.
 */
export function untilGone<E>(
	entries: E[],
	idOf: (entry: E) => string,
	idsNow: () => Promise<string[]>,
	lookupFailed: (ids: string[]) => Error,
): { ids: () => string[]; verify: VerifiedSend['verify'] } {
	let pending = entries;
	return {
		ids: () => pending.map(idOf),
		verify: async () => {
			let now: Set<string>;
			try {
				now = new Set(await idsNow());
			} catch {
				throw lookupFailed(pending.map(idOf));
			}
			pending = pending.filter((entry) => now.has(idOf(entry)));
			return pending.length === 0 ? 'received' : 'resend';
		},
	};
}

/** After a lost answer to a delete of fields (or tables), looking them up failed too. */
export function mayHaveBeenDeleted(node: INode, things: Things, ids: string[], where: string): Error {
	const { one, resource } = things;
	return mayHaveBeen(
		node,
		`${one === 'field' ? 'Fields' : 'Tables'} ${ids.join(', ')} of ${where} may have been deleted`,
		`Check the category’s ${one}s (${resource} → Get Many); delete those still there.`,
	);
}
