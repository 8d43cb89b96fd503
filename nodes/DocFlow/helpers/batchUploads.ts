import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import type { DocflowFile, UploadEndpoint, UploadedFile } from '../transport/api.types';
import { isCancellation } from '../transport/cancellation';
import { fetchFiles, uploadFiles } from '../transport/endpoints/file';
import { DocflowApiError, itemError } from '../transport/errors';
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

/** How many files, and how many bytes of them, one combined request may carry. */
export interface CombineLimits {
	maxFiles: number;
	maxBytes: number;
}

/** What DocFlow made of one item's files, in the order the item sent them. */
export interface ItemUploaded {
	/** DocFlow's record of each file; undefined: DocFlow did not take that file. */
	files: Array<UploadedFile | undefined>;
	/** file/upload/sync: each file as DocFlow processed it, where the answer carried it. */
	processed: Array<DocflowFile | undefined>;
}

/** One file of a request: the item it is from, which of the item's files, the name DocFlow stores. */
interface Entry {
	upload: ItemUpload;
	fileIndex: number;
	name: string;
}

/** An item's upload as it goes: what it got so far, or why it failed. */
interface ItemState extends ItemUploaded {
	error?: Error;
}

/** Items that share one request; it is sent when the first of them asks for its result. */
interface Group {
	uploads: ItemUpload[];
	sent?: Promise<void>;
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

/** Items whose files may go in one request: same endpoint settings, workspace, batch, query and retries. */
function combineKey(upload: ItemUpload): string {
	const sorted = (record: object) => Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	return JSON.stringify([upload.workspaceId, upload.batchNumber, sorted(upload.query), sorted(upload.retry)]);
}

/** DocFlow's record of a file, as an upload answer lists it. */
function receiptOf(file: UploadedFile | DocflowFile): UploadedFile {
	return { id: file.id, task_id: file.task_id, name: file.name, format: file.format };
}

/** DocFlow codes that refuse the request whatever its files are (credential, enterprise, balance). */
const REQUEST_WIDE_CODES = new Set([40101, 40102, 40103, 40301, 40003]);

/**
 * DocFlow refused a request outright, possibly because of one of its files: a business code
 * (HTTP 200) that is not about the credential, the enterprise, the balance or the workspace, or
 * a 400/413 (a gateway's body limit). It stored none of that request, so its items can be sent
 * one by one and the refusal lands on the item it is about.
 */
function refusedForOneOfItsFiles(error: Error): boolean {
	if (!(error instanceof DocflowApiError)) return false;
	const { docflow } = error;
	if (docflow.accepted !== 'no' || docflow.networkCode || docflow.redirect) return false;
	if (docflow.httpStatus === 400 || docflow.httpStatus === 413) return true;
	if (docflow.httpStatus !== 200 || docflow.code === undefined || docflow.code === 900) return false;
	if (REQUEST_WIDE_CODES.has(docflow.code)) return false;
	return !/workspace|工作空间|空间/i.test(docflow.msg ?? '');
}

/** The file named by a failure to read a file from n8n's binary storage while sending, if that is what failed. */
function unreadableFile(error: Error): string | undefined {
	if (!(error instanceof NodeOperationError) || !error.message.startsWith('Could not read the file')) return undefined;
	const fileName = error.context.fileName;
	return typeof fileName === 'string' ? fileName : undefined;
}

/** A request's failure as the error of one of its items: naming that item, DocFlow's code and trace ID kept. */
function errorForItem(node: INode, error: Error, itemIndex: number): Error {
	if (isCancellation(error)) return error;
	if (error instanceof DocflowApiError) {
		return error.context.itemIndex === itemIndex ? error : new DocflowApiError(node, error.docflow, itemIndex);
	}
	if (error instanceof NodeOperationError || error instanceof NodeApiError) {
		if (error.context.itemIndex === itemIndex) return error;
		const context = { ...error.context };
		delete context.itemIndex;
		return itemError(node, error.message.replace(/ \[item \d+\]$/, ''), {
			itemIndex,
			description: error.description ?? undefined,
			context,
		});
	}
	return error;
}

function mayHaveBeenUploaded(node: INode, names: string[], batchNumber: string, itemIndex: number): NodeOperationError {
	return itemError(node, `${names.map((name) => `“${name}”`).join(', ')} may have been uploaded — check batch ${batchNumber}`, {
		itemIndex,
		description: `The answer to this upload got lost, and another item of this run also sent a file of the same name into batch ${batchNumber} without an answer, so the node cannot tell which stored file is whose. It did not send the file again, to avoid a duplicate. Look at batch ${batchNumber} with Fetch Batch; if the document is missing, upload it again (a distinct file name avoids this).`,
		context: { fileName: names.join(', ') },
	});
}

/** What an upload whose answer got lost finds in its batch, by the index of each name it sent. */
interface Reconciliation {
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
 * Sends every item's files once into its batch, and tells each item what DocFlow made of them.
 *
 * With combine limits, the files of several items that share workspace, batch, query and retry
 * settings go in one multipart request (at most `maxFiles` files and `maxBytes` bytes; an item's
 * files are never split over requests, and two items' files of the same name never share one,
 * because DocFlow's answer and the batch name files, not items). Without, each item has a
 * request of its own. Either way each item gets its own outcome: its files, or its own error.
 *
 * An upload whose answer got lost (timeout, reset, gateway error after the body was sent) is
 * checked against the batch and only the files DocFlow does not have are sent again: no
 * document lost, none uploaded twice, and no file ID given to two items, also when requests run
 * in parallel (Batching) and carry files of the same name into the same batch. A batch the node
 * numbered itself starts empty; a batch the user named may hold earlier files, so it is read
 * once before the run's first upload to it.
 */
export class BatchUploads {
	private readonly batches = new Map<string, BatchState>();

	private readonly added = new Map<number, ItemUpload>();

	private readonly outcomes = new Map<number, ItemState>();

	private groups?: Map<number, Group>;

	/** Numbers the requests: a request, not an item, owns what it sent in the ledger. */
	private owners = 0;

	/**
	 * `endpoint`: file/upload, or file/upload/sync (answers with the processed files).
	 * `limits`: combine items' files into shared requests within these bounds; undefined: one request per item.
	 */
	constructor(
		private readonly endpoint: UploadEndpoint = 'file/upload',
		private readonly limits?: CombineLimits,
	) {}

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

	/** An item's upload, checked and ready; nothing is sent yet. Every item is added before any asks for its result. */
	add(upload: ItemUpload): void {
		this.added.set(upload.itemIndex, upload);
	}

	/**
	 * What DocFlow made of the item's files, in the order sent. The first item of a request to
	 * ask sends it; the others of that request wait for the same answer. Throws the item's own
	 * error (its file refused outright, a look-up that cannot tell, the request's failure in
	 * this item's name).
	 */
	async result(ctx: IExecuteFunctions, itemIndex: number): Promise<ItemUploaded> {
		this.groups ??= this.plan();
		const group = this.groups.get(itemIndex);
		if (!group) throw new NodeOperationError(ctx.getNode(), `No upload was prepared for item ${itemIndex}`, { itemIndex });
		group.sent ??= this.sendGroup(ctx, group.uploads);
		await group.sent;
		const state = this.outcomes.get(itemIndex)!;
		if (state.error) throw state.error;
		return { files: state.files, processed: state.processed };
	}

	/**
	 * Which items share a request, in item order: an item joins the open request of its kind if
	 * its files fit the limits and none has the name of another item's file there; otherwise it
	 * opens the next one. URL uploads always go alone: DocFlow names their files itself.
	 */
	private plan(): Map<number, Group> {
		const byItem = new Map<number, Group>();
		const open = new Map<string, { group: Group; files: number; bytes: number; names: Set<string> }>();
		for (const upload of [...this.added.values()].sort((a, b) => a.itemIndex - b.itemIndex)) {
			const names = sentNames(upload);
			const bytes = (upload.files ?? []).reduce((sum, file) => sum + file.size, 0);
			const key = this.limits && upload.files ? combineKey(upload) : undefined;
			let current = key === undefined ? undefined : open.get(key);
			const fits =
				current !== undefined &&
				current.files + names.length <= this.limits!.maxFiles &&
				current.bytes + bytes <= this.limits!.maxBytes &&
				names.every((name) => !current!.names.has(name));
			if (!current || !fits) {
				current = { group: { uploads: [] }, files: 0, bytes: 0, names: new Set() };
				if (key !== undefined) open.set(key, current);
			}
			current.group.uploads.push(upload);
			current.files += names.length;
			current.bytes += bytes;
			for (const name of names) current.names.add(name);
			byItem.set(upload.itemIndex, current.group);
		}
		return byItem;
	}

	private async sendGroup(ctx: IExecuteFunctions, uploads: ItemUpload[]): Promise<void> {
		const entries: Entry[] = [];
		for (const upload of uploads) {
			const names = sentNames(upload);
			this.outcomes.set(upload.itemIndex, { files: names.map(() => undefined), processed: names.map(() => undefined) });
			names.forEach((name, fileIndex) => entries.push({ upload, fileIndex, name }));
		}
		await this.sendEntries(ctx, entries);
	}

	private fail(itemIndex: number, error: Error): void {
		const state = this.outcomes.get(itemIndex)!;
		state.error ??= error;
	}

	private failed(entry: Entry): boolean {
		return this.outcomes.get(entry.upload.itemIndex)!.error !== undefined;
	}

	/** Records a file DocFlow has for an entry (from an answer, or found in the batch). */
	private put(entry: Entry, file: UploadedFile | DocflowFile, processed: boolean): void {
		const state = this.outcomes.get(entry.upload.itemIndex)!;
		state.files[entry.fileIndex] = receiptOf(file);
		if (processed) state.processed[entry.fileIndex] = file as DocflowFile;
	}

	/**
	 * What a look-up found for `list` (the entries it asked about, in order): files DocFlow has
	 * go to their items; an item with a file that may be another's fails and none of its files
	 * goes again. Returns the entries to send again.
	 */
	private settle(ctx: IExecuteFunctions, list: Entry[], found: Reconciliation, batchNumber: string): Entry[] {
		const unsure = new Map<number, string[]>();
		for (const index of found.ambiguous) {
			const { upload, name } = list[index];
			unsure.set(upload.itemIndex, [...(unsure.get(upload.itemIndex) ?? []), name]);
		}
		for (const [itemIndex, names] of unsure) this.fail(itemIndex, mayHaveBeenUploaded(ctx.getNode(), names, batchNumber, itemIndex));
		found.present.forEach((file, index) => this.put(list[index], file, false));
		ctx.logger.debug(
			`DocFlow upload of item(s) ${[...new Set(list.map((e) => e.upload.itemIndex))].join(', ')}: no answer; ${found.present.size} file(s) found in batch ${batchNumber}, ${found.missing.length} to send again`,
		);
		return found.missing.map((index) => list[index]).filter((entry) => !this.failed(entry));
	}

	/**
	 * Sends `entries` (one or several items' files, all sharing workspace, batch, query and
	 * retries) as one request, and records each item's outcome. Only a stop of the execution is
	 * thrown; every other failure becomes the error of the items it concerns.
	 */
	private async sendEntries(ctx: IExecuteFunctions, entries: Entry[]): Promise<void> {
		const first = entries[0].upload;
		const { workspaceId, batchNumber, retry } = first;
		const owner = ++this.owners;
		const processed = this.endpoint === 'file/upload/sync';
		let pending = [...entries];
		try {
			await this.prepare(ctx, workspaceId, batchNumber, first.itemIndex, retry);
			const answer = await uploadFiles(
				ctx,
				() => ({
					endpoint: this.endpoint,
					query: { ...first.query, batch_number: batchNumber },
					files: first.files && pending.map((entry) => entry.upload.files![entry.fileIndex]),
					urls: first.urls && pending.map((entry) => entry.upload.urls![entry.fileIndex]),
					itemIndex: pending[0].upload.itemIndex,
					retry,
				}),
				{
					track: async (attempt) =>
						await this.inFlight(workspaceId, batchNumber, owner, pending.map((entry) => entry.name), async () => {
							const result = await attempt();
							this.record(workspaceId, batchNumber, (result as { files?: UploadedFile[] } | undefined)?.files ?? []);
							return result;
						}),
					verify: async () => {
						const found = await this.reconcile(ctx, workspaceId, batchNumber, owner, pending[0].upload.itemIndex, pending.map((entry) => entry.name), retry);
						pending = this.settle(ctx, pending, found, batchNumber);
						return pending.length === 0 ? 'received' : 'resend';
					},
				},
			);
			const listed = Array.isArray(answer?.files) ? answer.files.filter((file) => typeof file === 'object' && file !== null) : [];
			this.assign(ctx, pending, listed, batchNumber, processed);
		} catch (caught) {
			const error = caught as Error;
			if (isCancellation(error)) throw error;
			await this.recover(ctx, entries, pending, error);
		}
	}

	/**
	 * A request failed. When DocFlow refused it outright and nothing of it is stored, its items go
	 * one by one, so the refusal lands on the item it is about; when one item's file could not be
	 * read from n8n's storage, that item fails and the others' files are looked up, then sent
	 * again if missing. Otherwise every item with a file still unsent fails with the error.
	 */
	private async recover(ctx: IExecuteFunctions, entries: Entry[], pending: Entry[], error: Error): Promise<void> {
		const node = ctx.getNode();
		const open = pending.filter((entry) => !this.failed(entry));
		const items = [...new Set(open.map((entry) => entry.upload.itemIndex))];
		if (items.length > 1 && pending.length === entries.length && refusedForOneOfItsFiles(error)) {
			ctx.logger.debug(`DocFlow refused a combined upload (items ${items.join(', ')}): sending each item on its own`);
			for (const [k, itemIndex] of items.entries()) {
				await this.sendEntries(ctx, open.filter((entry) => entry.upload.itemIndex === itemIndex));
				if (this.outcomes.get(itemIndex)!.error && !ctx.continueOnFail()) {
					// The run stops at this item: the later ones are not sent, as they would not be one by one.
					for (const later of items.slice(k + 1)) {
						this.fail(later, itemError(node, `Not sent: item ${itemIndex} failed before it and the run stopped`, { itemIndex: later }));
					}
					return;
				}
			}
			return;
		}
		const unreadable = unreadableFile(error);
		const culprit = unreadable === undefined ? undefined : open.find((entry) => entry.name === unreadable)?.upload.itemIndex;
		if (items.length > 1 && culprit !== undefined) {
			this.fail(culprit, errorForItem(node, error, culprit));
			// The files before the unreadable one went out whole: DocFlow may have kept them.
			const others = open.filter((entry) => entry.upload.itemIndex !== culprit);
			const { workspaceId, batchNumber, retry } = others[0].upload;
			try {
				const found = await this.reconcile(ctx, workspaceId, batchNumber, ++this.owners, others[0].upload.itemIndex, others.map((entry) => entry.name), retry);
				const missing = this.settle(ctx, others, found, batchNumber);
				if (missing.length > 0) await this.sendEntries(ctx, missing);
			} catch (caught) {
				const lookUpError = caught as Error;
				if (isCancellation(lookUpError)) throw lookUpError;
				for (const itemIndex of new Set(others.map((entry) => entry.upload.itemIndex))) {
					this.fail(itemIndex, errorForItem(node, lookUpError, itemIndex));
				}
			}
			return;
		}
		for (const itemIndex of items) this.fail(itemIndex, errorForItem(node, error, itemIndex));
	}

	/**
	 * DocFlow lists the files it accepted: matched to what was sent by name, in order. A listed
	 * file under another name than any sent: for one item's request, taken in order (DocFlow
	 * renamed it); in a combined request it cannot be told whose it is, so the items with
	 * unmatched files fail pointing at the batch rather than guess.
	 */
	private assign(ctx: IExecuteFunctions, pending: Entry[], listed: Array<UploadedFile | DocflowFile>, batchNumber: string, processed: boolean): void {
		const remaining = [...pending];
		const unmatched: Array<UploadedFile | DocflowFile> = [];
		for (const file of listed) {
			const k = remaining.findIndex((entry) => entry.name === file.name);
			if (k < 0) {
				unmatched.push(file);
				continue;
			}
			this.put(remaining[k], file, processed);
			remaining.splice(k, 1);
		}
		if (unmatched.length === 0 || remaining.length === 0) return;
		const items = [...new Set(remaining.map((entry) => entry.upload.itemIndex))];
		if (items.length === 1) {
			unmatched.slice(0, remaining.length).forEach((file, k) => this.put(remaining[k], file, processed));
			return;
		}
		const names = unmatched.map((file) => `“${file.name}”`).join(', ');
		for (const itemIndex of items) {
			this.fail(
				itemIndex,
				itemError(ctx.getNode(), `DocFlow stored ${names} under a name the node did not send — check batch ${batchNumber}`, {
					itemIndex,
					description: `DocFlow’s answer to a request that carried several items’ files lists files by names that were not sent, so the node cannot tell whose they are. Nothing was sent again. Look at batch ${batchNumber} with Fetch Batch, and turn off Combine Uploads (Options) so that each item's files go in a request of their own.`,
				}),
			);
		}
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

	/** Runs one request of `owner`, known as in flight until it settles. */
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

	/** Files DocFlow's answer listed: theirs from now on. */
	private record(workspaceId: string, batchNumber: string, files: UploadedFile[]): void {
		const state = this.state(workspaceId, batchNumber);
		for (const file of files) if (file && typeof file.id === 'string') state.claimed.add(file.id);
	}

	/**
	 * After `owner` lost the answer to a request of `sentNames`: which of them DocFlow has (claimed
	 * for `owner` now), which it does not, and which cannot be told apart from another request's.
	 */
	private async reconcile(
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
