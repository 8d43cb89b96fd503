import type { IExecuteFunctions } from 'n8n-workflow';

import type { DocflowFile, UploadedFile } from '../transport/api.types';
import type { RetrySettings } from '../transport/request';
import { fetchFiles } from './fetchFiles';

function key(workspaceId: string, batchNumber: string): string {
	return `${workspaceId}\u0000${batchNumber}`;
}

/**
 * Which files of a batch are the run's own, so that an upload whose answer got lost (timeout,
 * reset, gateway error after the body was sent) is checked against the batch and only the
 * files DocFlow does not have are sent again: no document lost, none uploaded twice.
 *
 * A batch the node numbered itself starts empty. A batch the user named may hold earlier
 * files, so it is read once before the run's first upload to it.
 */
export class BatchLedger {
	/** File IDs in each batch that are not this request's: earlier files and earlier items. */
	private readonly known = new Map<string, Set<string>>();

	private readonly ownBatches = new Set<string>();

	markOwn(workspaceId: string, batchNumber: string): void {
		this.ownBatches.add(key(workspaceId, batchNumber));
	}

	/** Reads what a user-named batch already holds, once, before the run adds to it. */
	async prepare(
		ctx: IExecuteFunctions,
		workspaceId: string,
		batchNumber: string,
		itemIndex: number,
		retry: Partial<RetrySettings>,
	): Promise<void> {
		const k = key(workspaceId, batchNumber);
		if (this.known.has(k)) return;
		if (this.ownBatches.has(k)) {
			this.known.set(k, new Set());
			return;
		}
		const { files } = await fetchFiles(
			ctx,
			{ workspace_id: workspaceId, batch_number: batchNumber },
			{ itemIndex, retry },
		);
		this.known.set(k, new Set(files.map((f) => f.id)));
	}

	record(workspaceId: string, batchNumber: string, files: UploadedFile[]): void {
		const k = key(workspaceId, batchNumber);
		const set = this.known.get(k) ?? new Set<string>();
		for (const file of files) set.add(file.id);
		this.known.set(k, set);
	}

	/**
	 * Splits the names a request sent into those DocFlow has (new files of that name in the
	 * batch, oldest first) and those it does not.
	 */
	async reconcile(
		ctx: IExecuteFunctions,
		workspaceId: string,
		batchNumber: string,
		sentNames: string[],
		itemIndex: number,
		retry: Partial<RetrySettings>,
	): Promise<{ present: Map<number, DocflowFile>; missing: number[] }> {
		const known = this.known.get(key(workspaceId, batchNumber)) ?? new Set<string>();
		const { files } = await fetchFiles(
			ctx,
			{ workspace_id: workspaceId, batch_number: batchNumber },
			{ itemIndex, retry },
		);
		const fresh = files.filter((f) => !known.has(f.id));
		const present = new Map<number, DocflowFile>();
		const missing: number[] = [];
		sentNames.forEach((name, index) => {
			const match = fresh.findIndex((f) => f.name === name);
			if (match === -1) {
				missing.push(index);
			} else {
				present.set(index, fresh[match]);
				fresh.splice(match, 1);
			}
		});
		return { present, missing };
	}
}
