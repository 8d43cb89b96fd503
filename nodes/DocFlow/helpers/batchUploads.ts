import type { IExecuteFunctions } from 'n8n-workflow';

import type { DocflowFile, UploadedFile } from '../transport/api.types';
import { fetchFiles, uploadFiles } from '../transport/endpoints/file';
import { itemError } from '../transport/errors';
import type { MultipartFile } from '../transport/multipart';
import type { RetrySettings } from '../transport/request';

/** One item's upload: its files or URLs, into one batch of one workspace. */
export interface ItemUpload {
	itemIndex: number;
	workspaceId: string;
	batchNumber: string;
	query: Record<string, string | number>;
	files?: MultipartFile[];
	urls?: string[];
	retry: Partial<RetrySettings>;
}

/** The name DocFlow stores for each file an item sends, to find them in the batch again. */
function sentNames(upload: ItemUpload): string[] {
	if (upload.files) return upload.files.map((file) => file.fileName);
	return (upload.urls ?? []).map((url) => {
		const last = new URL(url).pathname.split('/').pop() ?? '';
		try {
			return decodeURIComponent(last);
		} catch {
			return last;
		}
	});
}

/** What an upload whose answer got lost finds in its batch, by the index of each name it sent. */
interface Reconciliation {
	/** Files DocFlow has, now claimed by this upload. */
	present: Map<number, DocflowFile>;
	/** Names DocFlow does not have: safe to send again. */
	missing: number[];
	/**
	 * Names DocFlow has a file of, but another item of the run also lost the answer to an upload
	 * of the same name into the same batch: which file is whose cannot be told, so neither guesses.
	 */
	ambiguous: number[];
}

interface BatchState {
	/** File IDs that are somebody's: in the batch before the run, or claimed by an item of it. */
	claimed: Set<string>;
	/** Uploads whose request is out, by owner: a look-up waits for them to settle first. */
	inFlight: Map<number, { names: string[]; settled: Promise<unknown> }>;
	/** Owners whose upload of a name got lost and was not matched (yet, or ever): rivals for that name. */
	lost: Map<string, Set<number>>;
	/** The batch's files before the run (read once, for a batch the user named). */
	ready?: Promise<void>;
	/** One look-up at a time per batch, so two items never claim the same file. */
	queue: Promise<unknown>;
}

/**
 * The run's view of each batch it uploads into, so that an upload whose answer got lost
 * (timeout, reset, gateway error after the body was sent) is checked against the batch and only
 * the files DocFlow does not have are sent again: no document lost, none uploaded twice, and
 * no file ID given to two items, also when items run in parallel (Batching) and send files of
 * the same name into the same batch.
 *
 * A batch the node numbered itself starts empty. A batch the user named may hold earlier files,
 * so it is read once before the run's first upload to it.
 */
export class BatchUploads {
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

	/**
	 * Sends one item's files and returns what DocFlow made of each, in the order sent (undefined:
	 * DocFlow did not accept that file). When DocFlow may have taken them although no answer came
	 * back, the batch is read and only the files it does not have are sent again; a file that may
	 * be another item's (same name, same batch, both answers lost) fails the item with a pointer
	 * to the batch rather than being guessed.
	 */
	async send(ctx: IExecuteFunctions, upload: ItemUpload): Promise<Array<UploadedFile | undefined>> {
		const { itemIndex, workspaceId, batchNumber, retry } = upload;
		const names = sentNames(upload);
		const uploaded: Array<UploadedFile | undefined> = names.map(() => undefined);
		await this.prepare(ctx, workspaceId, batchNumber, itemIndex, retry);

		let pending = names.map((_, index) => index);
		const answer = await uploadFiles(
			ctx,
			() => ({
				query: { ...upload.query, batch_number: batchNumber },
				files: upload.files && pending.map((index) => upload.files![index]),
				urls: upload.urls && pending.map((index) => upload.urls![index]),
				itemIndex,
				retry,
			}),
			{
				track: async (attempt) =>
					await this.inFlight(workspaceId, batchNumber, itemIndex, pending.map((i) => names[i]), async () => {
						const result = await attempt();
						this.record(workspaceId, batchNumber, (result as { files?: UploadedFile[] } | undefined)?.files ?? []);
						return result;
					}),
				verify: async () => {
					const sent = pending.map((index) => names[index]);
					const found = await this.reconcile(ctx, workspaceId, batchNumber, itemIndex, sent, retry);
					if (found.ambiguous.length > 0) {
						const which = found.ambiguous.map((k) => sent[k]);
						throw itemError(ctx.getNode(), `${which.map((name) => `“${name}”`).join(', ')} may have been uploaded — check batch ${batchNumber}`, {
							itemIndex,
							description: `The answer to this upload got lost, and another item of this run also sent a file of the same name into batch ${batchNumber} without an answer, so the node cannot tell which stored file is whose. It did not send the file again, to avoid a duplicate. Look at batch ${batchNumber} with Fetch Batch; if the document is missing, upload it again (a distinct file name avoids this).`,
							context: { fileName: which.join(', ') },
						});
					}
					found.present.forEach((file, k) => {
						uploaded[pending[k]] = { id: file.id, task_id: file.task_id, name: file.name, format: file.format };
					});
					ctx.logger.debug(
						`DocFlow upload of item ${itemIndex}: no answer; ${found.present.size} file(s) found in batch ${batchNumber}, ${found.missing.length} to send again`,
					);
					pending = found.missing.map((k) => pending[k]);
					return pending.length === 0 ? 'received' : 'resend';
				},
			},
		);
		// DocFlow lists the files it accepted; match them to what was sent by name, in order.
		const remaining = [...pending];
		for (const file of answer?.files ?? []) {
			if (remaining.length === 0) break;
			const k = Math.max(0, remaining.findIndex((index) => names[index] === file.name));
			uploaded[remaining[k]] = file;
			remaining.splice(k, 1);
		}
		return uploaded;
	}

	/** Reads what a user-named batch already holds, once for the run, before anything is added. */
	private async prepare(
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

	/** Runs one request of `owner`'s upload, known as in flight until it settles. */
	private async inFlight<T>(
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

	/** Files DocFlow's answer listed for `owner`: theirs from now on. */
	private record(workspaceId: string, batchNumber: string, files: UploadedFile[]): void {
		const state = this.state(workspaceId, batchNumber);
		for (const file of files) state.claimed.add(file.id);
	}

	/**
	 * After `owner` lost the answer to an upload of `sentNames`: which of them DocFlow has (claimed
	 * for `owner` now), which it does not, and which cannot be told apart from another item's.
	 */
	private async reconcile(
		ctx: IExecuteFunctions,
		workspaceId: string,
		batchNumber: string,
		owner: number,
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
			// Another item's upload of the same name still out may be the file found: wait until its
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
				{ itemIndex: owner, retry },
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
