import type { IExecuteFunctions } from 'n8n-workflow';

import type { DocflowFile, UploadedFile } from '../transport/api.types';
import { fetchFiles } from '../transport/endpoints/file';
import type { RetrySettings } from '../transport/request';

/** What an upload whose answer got lost finds in its batch, by the index of each name it sent. */
export interface Reconciliation {
	/** Files DocFlow has, now claimed by this upload. */
	present: Map<number, DocflowFile>;
	/** Names DocFlow does not have: safe to send again. */
	missing: number[];
	/**
	 * Names DocFlow has a file of, but another request of the run also lost the answer to an
	 * upload of the same name into the same batch: which file is whose cannot be told, so neither guesses.
	 */
	ambiguous: number[];
}

interface BatchState {
	/** File IDs that are somebody's: in the batch before the run, or claimed by a request of it. */
	claimed: Set<string>;
	/** Requests that are out, by owner: a look-up waits for them to settle first. */
	inFlight: Map<number, { names: string[]; settled: Promise<unknown> }>;
	/** Owners whose upload of a name got lost and was not matched (yet, or ever): rivals for that name. */
	lost: Map<string, Set<number>>;
	/** The batch's files before the run (read once, for a batch the user named). */
	ready?: Promise<void>;
	/** One look-up at a time per batch, so two requests never claim the same file. */
	queue: Promise<unknown>;
}

/**
 * The run's ledger of what each batch holds: which files are somebody's (in the batch before the
 * run, or claimed by one of its requests), which requests are out, and which lost their answer.
 * After a lost answer it tells a request which of its files DocFlow has, so none is sent twice
 * and no file ID goes to two requests, also when requests run in parallel and carry files of
 * the same name into the same batch. A batch the node numbered starts empty; a batch the user
 * named may hold earlier files, so it is read once before the run's first upload to it.
 */
export class BatchLedger {
	private readonly batches = new Map<string, BatchState>();

	private state(workspaceId: string, batchNumber: string): BatchState {
		const key = `${workspaceId}\u0000${batchNumber}`;
		let state = this.batches.get(key);
		if (!state) {
			state = { claimed: new Set(), inFlight: new Map(), lost: new Map(), queue: Promise.resolve() };
			this.batches.set(key, state);
		}
		return state;
	}

	/** A batch the node numbered: nothing in it is anybody else's. */
	markOwn(workspaceId: string, batchNumber: string): void {
		this.state(workspaceId, batchNumber).ready = Promise.resolve();
	}

	/** Reads what a user-named batch already holds, once for the run, before anything is added. */
	async readBefore(
		ctx: IExecuteFunctions,
		workspaceId: string,
		batchNumber: string,
		itemIndex: number,
		retry: Partial<RetrySettings>,
	): Promise<void> {
		const state = this.state(workspaceId, batchNumber);
		state.ready ??= fetchFiles(
			ctx,
			{ workspace_id: workspaceId, batch_number: batchNumber },
			{ itemIndex, retry },
		).then((files) => {
			for (const file of files) state.claimed.add(file.id);
		});
		await state.ready;
	}

	/** Runs one request of `owner`, known as in flight until it settles. */
	async inFlight<T>(
		workspaceId: string,
		batchNumber: string,
		owner: number,
		names: string[],
		send: () => Promise<T>,
	): Promise<T> {
		const state = this.state(workspaceId, batchNumber);
		const settled = send();
		state.inFlight.set(owner, { names, settled: settled.catch(() => undefined) });
		try {
			return await settled;
		} finally {
			state.inFlight.delete(owner);
		}
	}

	/** Files DocFlow's answer listed: theirs from now on. */
	record(workspaceId: string, batchNumber: string, files: UploadedFile[]): void {
		const state = this.state(workspaceId, batchNumber);
		for (const file of files) if (file && typeof file.id === 'string') state.claimed.add(file.id);
	}

	/**
	 * After `owner` lost the answer to a request of `sentNames`: which of them DocFlow has (claimed
	 * for `owner` now), which it does not, and which cannot be told apart from another request's.
	 */
	async reconcile(
		ctx: IExecuteFunctions,
		workspaceId: string,
		batchNumber: string,
		owner: number,
		itemIndex: number,
		sentNames: string[],
		retry: Partial<RetrySettings>,
	): Promise<Reconciliation> {
		const state = this.state(workspaceId, batchNumber);
		for (const name of sentNames) {
			const owners = state.lost.get(name) ?? new Set<number>();
			owners.add(owner);
			state.lost.set(name, owners);
		}
		const turn = state.queue.then(async () => {
			// Another request of the same name still out may be the file found: wait until its
			// answer says which file is its own.
			for (;;) {
				const rivals = [...state.inFlight.entries()].filter(
					([other, upload]) => other !== owner && upload.names.some((n) => sentNames.includes(n)),
				);
				if (rivals.length === 0) break;
				await Promise.all(rivals.map(([, upload]) => upload.settled));
			}
			const files = await fetchFiles(
				ctx,
				{ workspace_id: workspaceId, batch_number: batchNumber },
				{ itemIndex, retry },
			);
			const fresh = files.filter((file) => !state.claimed.has(file.id));
			const result: Reconciliation = { present: new Map(), missing: [], ambiguous: [] };
			sentNames.forEach((name, index) => {
				const candidates = fresh.filter((file) => file.name === name);
				const rivals = [...(state.lost.get(name) ?? [])].filter((other) => other !== owner);
				if (candidates.length === 0) {
					// Nobody's file of that name is there: sending it again duplicates nothing.
					result.missing.push(index);
					state.lost.get(name)?.delete(owner);
				} else if (rivals.length === 0) {
					result.present.set(index, candidates[0]);
					state.claimed.add(candidates[0].id);
					fresh.splice(fresh.indexOf(candidates[0]), 1);
					state.lost.get(name)?.delete(owner);
				} else {
					// Stays among the rivals for that name: a later look-up must not take its file either.
					result.ambiguous.push(index);
				}
			});
			return result;
		});
		state.queue = turn.catch(() => undefined);
		return await turn;
	}
}
