import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import type { DocflowFile, UploadEndpoint, UploadedFile } from '../transport/api.types';
import { isCancellation } from '../transport/cancellation';
import { uploadFiles } from '../transport/endpoints/file';
import { itemError } from '../transport/errors';
import { BatchLedger } from './batchLedger';
import type { Reconciliation } from './batchLedger';
import { planRequests, sentNames } from './combinedRequests';
import type { CombineLimits, ItemUpload, SharedRequest } from './combinedRequests';
import { errorForItem, mayHaveBeenUploaded, refusedForOneOfItsFiles, unreadableFile } from './uploadFailures';

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

/** DocFlow's record of a file, as an upload answer lists it. */
function receiptOf(file: UploadedFile | DocflowFile): UploadedFile {
	return { id: file.id, task_id: file.task_id, name: file.name, format: file.format };
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
 * checked against the batch (see BatchLedger) and only the files DocFlow does not have are sent
 * again: no document lost, none uploaded twice, and no file ID given to two items.
 */
export class BatchUploads {
	private readonly ledger = new BatchLedger();

	private readonly added = new Map<number, ItemUpload>();

	private readonly outcomes = new Map<number, ItemState>();

	private groups?: Map<number, SharedRequest>;

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

	/** A batch the node numbered: nothing in it is anybody else's. */
	markOwn(workspaceId: string, batchNumber: string): void {
		this.ledger.markOwn(workspaceId, batchNumber);
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
		this.groups ??= planRequests([...this.added.values()], this.limits);
		const group = this.groups.get(itemIndex);
		if (!group) throw new NodeOperationError(ctx.getNode(), `No upload was prepared for item ${itemIndex}`, { itemIndex });
		group.sent ??= this.sendGroup(ctx, group.uploads);
		await group.sent;
		const state = this.outcomes.get(itemIndex)!;
		if (state.error) throw state.error;
		return { files: state.files, processed: state.processed };
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
			await this.ledger.readBefore(ctx, workspaceId, batchNumber, first.itemIndex, retry);
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
						await this.ledger.inFlight(workspaceId, batchNumber, owner, pending.map((entry) => entry.name), async () => {
							const result = await attempt();
							this.ledger.record(workspaceId, batchNumber, (result as { files?: UploadedFile[] } | undefined)?.files ?? []);
							return result;
						}),
					verify: async () => {
						const found = await this.ledger.reconcile(ctx, workspaceId, batchNumber, owner, pending[0].upload.itemIndex, pending.map((entry) => entry.name), retry);
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
				const found = await this.ledger.reconcile(ctx, workspaceId, batchNumber, ++this.owners, others[0].upload.itemIndex, others.map((entry) => entry.name), retry);
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
}
