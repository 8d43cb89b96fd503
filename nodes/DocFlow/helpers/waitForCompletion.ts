import type { IDataObject, IExecuteFunctions, INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { STATUS_FAILED } from '../transport/api.types';
import type { DocflowFile } from '../transport/api.types';
import { itemError } from '../transport/errors';
import { errorItem } from './itemErrors';
import { fileItems } from './outputItems';
import type { OutputOptions } from './outputItems';
import { statusWord } from './simplify';
import { waitForFiles } from './waitForFiles';
import type { TrackedFile, WaitOutcome, WaitSettings } from './waitForFiles';

/**
 * Wait for Completion: after Upload or Retry sent their files, one wait for all of them, and
 * each item's receipts replaced by its results, or by errors for files that failed or had not
 * finished in time.
 */

function minutes(ms: number): string {
	const m = ms / 60000;
	if (m >= 1) return `${Number(m.toFixed(1))} minute${m === 1 ? '' : 's'}`;
	return `${Number((ms / 1000).toFixed(1))} seconds`;
}

function timeoutError(
	ctx: IExecuteFunctions,
	unfinished: TrackedFile[],
	timeoutMs: number,
	itemIndex: number,
): NodeOperationError {
	const batches = [...new Set(unfinished.map((f) => f.batchNumber))];
	const tasks = unfinished.map((f) => f.taskId ?? f.fileId);
	return itemError(
		ctx.getNode(),
		`DocFlow had not finished after ${minutes(timeoutMs)}: batch ${batches.join(', ')}, task${tasks.length === 1 ? '' : 's'} ${tasks.join(', ')} still running`,
		{
			itemIndex,
			description: `Nothing is lost: the work goes on in DocFlow. Pick the results up later with the Fetch Batch operation (Look Up By: Batch Number, ${batches[0]}), or raise Timeout in the node’s options.`,
		},
	);
}

function failedError(
	ctx: IExecuteFunctions,
	file: DocflowFile,
	itemIndex: number,
): NodeOperationError {
	const cause = file.failure_causes ? `: ${file.failure_causes}` : '';
	const others = ctx.continueOnFail()
		? ''
		: ' Turn on Continue On Fail to get the other files’ results in the same run.';
	return itemError(
		ctx.getNode(),
		`DocFlow could not process “${file.name}”${cause}`,
		{
			itemIndex,
			description: `Check the file, then process it again with the Retry operation (Task ID ${file.task_id ?? ''}).${others}`,
		},
	);
}

/**
 * The output after waiting, item by item in input order: results of finished files, and for
 * failed or unfinished ones an error (or, with Continue On Fail, an error item in their place).
 */
function waitResults(
	ctx: IExecuteFunctions,
	tracked: TrackedFile[],
	outcome: WaitOutcome,
	options: OutputOptions & { timeoutMs: number },
): Map<number, INodeExecutionData[]> {
	const continueOnFail = ctx.continueOnFail();
	if (!continueOnFail) {
		if (outcome.unfinished.length > 0) {
			throw timeoutError(ctx, outcome.unfinished, options.timeoutMs, outcome.unfinished[0].itemIndex);
		}
		for (const file of tracked) {
			const result = outcome.finished.get(file.fileId);
			if (result?.recognition_status === STATUS_FAILED) throw failedError(ctx, result, file.itemIndex);
		}
	}
	const byItem = new Map<number, INodeExecutionData[]>();
	for (const file of tracked) {
		const out = byItem.get(file.itemIndex) ?? [];
		byItem.set(file.itemIndex, out);
		const known: IDataObject = {
			workspace_id: file.workspaceId,
			batch_number: file.batchNumber,
			file_id: file.fileId,
			task_id: file.taskId ?? null,
			file_name: file.name,
		};
		const result = outcome.finished.get(file.fileId);
		if (!result) {
			const last = outcome.lastSeen.get(file.fileId);
			out.push(
				errorItem(ctx.getNode(), timeoutError(ctx, [file], options.timeoutMs, file.itemIndex), file.itemIndex, {
					...known,
					status: last ? statusWord(last.recognition_status) : 'unknown',
					status_code: last?.recognition_status ?? null,
				}),
			);
		} else if (result.recognition_status === STATUS_FAILED) {
			out.push(
				errorItem(ctx.getNode(), failedError(ctx, result, file.itemIndex), file.itemIndex, {
					...known,
					status: 'failed',
					status_code: STATUS_FAILED,
					failure_causes: result.failure_causes ?? null,
				}),
			);
		} else {
			out.push(
				...fileItems(ctx, result, file.itemIndex, { ...options, workspaceId: file.workspaceId }, file.binaryField),
			);
		}
	}
	return byItem;
}

/** What Wait for Completion was asked for: how to wait, and how to put out the results. */
export interface WaitRequest {
	settings: WaitSettings;
	simplify: boolean;
	includeInputFile: boolean;
}

/**
 * Waits for every tracked file (one poll per batch covers every item) and puts the results,
 * or their errors, in place of the items' receipts. `known`: final results by file ID that are
 * already in hand (the synchronous upload's answer); those files are not waited for.
 */
export async function replaceReceiptsWithResults(
	ctx: IExecuteFunctions,
	trackedByItem: Map<number, TrackedFile[]>,
	outputByItem: Map<number, INodeExecutionData[]>,
	request: WaitRequest,
	known: Map<string, DocflowFile> = new Map(),
): Promise<void> {
	const tracked = [...trackedByItem.keys()].sort((a, b) => a - b).flatMap((i) => trackedByItem.get(i)!);
	if (tracked.length === 0) return;
	const unknown = tracked.filter((file) => !known.has(file.fileId));
	const outcome: WaitOutcome =
		unknown.length > 0
			? await waitForFiles(ctx, unknown, request.settings)
			: { finished: new Map(), unfinished: [], lastSeen: new Map() };
	for (const [fileId, file] of known) outcome.finished.set(fileId, file);
	const results = waitResults(ctx, tracked, outcome, {
		simplify: request.simplify,
		includeInputFile: request.includeInputFile,
		timeoutMs: request.settings.timeoutMs,
	});
	for (const [itemIndex, out] of results) outputByItem.set(itemIndex, out);
}
