import type { VerifiedSend } from '../transport/sendVerified';

/** A rule repository, group or rule as a list shows it: what a create is recognised by. */
export interface Existing {
	id: string;
	name: string;
}

export interface Creation {
	/** Where the thing is created (a workspace, a repository, a group); names are compared within it. */
	scope: string;
	name: string;
	/** What the scope held right before sending. */
	before: Existing[];
	/** What the scope holds now (read again after a lost answer). */
	current: () => Promise<Existing[]>;
	/** Sends the create; resolves with the ID DocFlow answered, or undefined when `verify` found it. */
	send: (verify: VerifiedSend['verify']) => Promise<{ id: unknown } | undefined>;
	/** The error for when DocFlow's state cannot tell whether (or which) one was created. */
	cannotTell: (reason: string) => Error;
}

/**
 * The run's creates of rule repositories, groups and rules. DocFlow has no request ID to make a
 * create safe to send twice, so a create whose answer got lost is recognised by its name: the
 * one thing of that name that was not there before the send, and that no other item of the run
 * got, is this item's. When that is ambiguous (several new ones, or another item of the run
 * creating the same name at the same moment), the item fails saying so instead of guessing or
 * creating a duplicate.
 */
export class ReviewCreations {
	/** IDs handed to items of this run, by scope. */
	private readonly claimed = new Set<string>();

	/** Creates in flight, by scope and name. */
	private readonly sending = new Map<string, number>();

	async create(creation: Creation): Promise<string> {
		const { scope, name } = creation;
		const key = `${scope}\u0000${name}`;
		const beforeIds = new Set(creation.before.map((thing) => thing.id));
		const fresh = async () =>
			(await creation.current())
				.filter(
					(thing) =>
						thing.name === name && !beforeIds.has(thing.id) && !this.claimed.has(`${scope}\u0000${thing.id}`),
				)
				.map((thing) => thing.id);

		let recovered: string | undefined;
		const verify: VerifiedSend['verify'] = async () => {
			if ((this.sending.get(key) ?? 0) > 1) {
				throw creation.cannotTell('another item of this run was creating one of the same name at the same moment');
			}
			const found = await fresh();
			if (found.length === 0) return 'resend';
			if (found.length === 1) {
				recovered = found[0];
				return 'received';
			}
			throw creation.cannotTell(`DocFlow now shows ${found.length} new ones of this name`);
		};

		this.sending.set(key, (this.sending.get(key) ?? 0) + 1);
		let answer: { id: unknown } | undefined;
		try {
			answer = await creation.send(verify);
		} finally {
			this.sending.set(key, (this.sending.get(key) ?? 1) - 1);
		}

		let id = recovered;
		if (answer) {
			const answered = answer.id;
			if (typeof answered === 'string' && answered.trim() !== '') id = answered.trim();
			else if (typeof answered === 'number' && Number.isSafeInteger(answered)) id = String(answered);
			else {
				// Created, but the answer's ID is unusable: missing, or a JSON number above 2^53 that
				// JavaScript has already rounded. The list shows it with its exact ID.
				const found = await fresh();
				if (found.length !== 1) {
					throw creation.cannotTell(
						`DocFlow answered without an exact ID (${JSON.stringify(answered ?? null)}) and shows ${found.length} new ones of this name`,
					);
				}
				id = found[0];
			}
		}
		if (id === undefined) throw creation.cannotTell('DocFlow answered without an ID');
		this.claimed.add(`${scope}\u0000${id}`);
		return id;
	}
}
