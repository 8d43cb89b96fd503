import { randomInt } from 'node:crypto';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { binaryFieldNames, readFileUrls, readInputFiles } from '../../helpers/binaryInput';
import type { InputFile } from '../../helpers/binaryInput';
import type { CombineLimits } from '../../helpers/combinedRequests';
import { COMBINED_UPLOAD_DEFAULTS, MAX_URLS_PER_UPLOAD, SYNC_UPLOAD_TIMEOUT_MS } from '../../transport/api.types';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { readId } from '../parameters/ids';
import { parserQueryFrom } from '../parameters/parserOptions';
import { retrySettingsFrom } from '../parameters/requestOptions';

/**
 * How Upload sends: the run's mode (synchronous or polled, items combined into shared requests
 * or not), and what each item sends (its files or URLs, the query, its batch, its retries).
 */

/** What one item sends: either files or URLs, with the query every upload carries. */
export interface PreparedUpload {
	itemIndex: number;
	workspaceId: string;
	files?: InputFile[];
	urls?: string[];
	query: Record<string, string | number>;
	explicitBatchNumber?: string;
	oneBatchPerRun: boolean;
	options: IDataObject;
	retry: Partial<RetrySettings>;
}

/** How the run sends its files: which endpoint, and whether items share requests. */
export interface UploadMode {
	/** Wait for Completion by a synchronous request (file/upload/sync) rather than by polling. */
	sync: boolean;
	/** Combine items' files into shared requests within these bounds; undefined: one request per item. */
	combine?: CombineLimits;
}

/**
 * The run's upload mode, from the node's parameters (read once, as Wait for Completion is).
 * Combine Uploads is on by default from node version 1.2; earlier nodes keep one request per item.
 */
export function uploadModeFrom(ctx: IExecuteFunctions): UploadMode {
	const waits = ctx.getNodeParameter('waitForCompletion', 0, false) as boolean;
	const sync = waits && ctx.getNodeParameter('waitMode', 0, 'poll') === 'sync';
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const combine =
		typeof options.combineUploads === 'boolean' ? options.combineUploads : ctx.getNode().typeVersion >= 1.2;
	if (!combine) return { sync };
	const maxFiles = Number(options.maxFilesPerRequest ?? COMBINED_UPLOAD_DEFAULTS.maxFiles);
	const maxMiB = Number(options.maxRequestMiB ?? COMBINED_UPLOAD_DEFAULTS.maxBytes / (1024 * 1024));
	return {
		sync,
		combine: {
			maxFiles: Number.isFinite(maxFiles) && maxFiles >= 1 ? Math.floor(maxFiles) : COMBINED_UPLOAD_DEFAULTS.maxFiles,
			maxBytes: Number.isFinite(maxMiB) && maxMiB > 0 ? maxMiB * 1024 * 1024 : COMBINED_UPLOAD_DEFAULTS.maxBytes,
		},
	};
}

/** The combine limits an item's options set (mapped from an expression, say) must be usable numbers. */
function checkCombineLimits(ctx: IExecuteFunctions, options: IDataObject, itemIndex: number): void {
	const limits = [
		['maxFilesPerRequest', 'Max Files per Request', 'a whole number of files, at least 1 (default 10)'],
		['maxRequestMiB', 'Max Request Size (MiB)', 'a number of MiB above 0 (default 100)'],
	] as const;
	for (const [name, label, expected] of limits) {
		if (options[name] === undefined) continue;
		const value = Number(options[name]);
		const valid = name === 'maxFilesPerRequest' ? Number.isInteger(value) && value >= 1 : Number.isFinite(value) && value > 0;
		if (!valid) {
			throw itemError(ctx.getNode(), `${label} is ${JSON.stringify(options[name])}, not ${expected}`, {
				itemIndex,
				description: `Set ${label} in the node's Options to ${expected}, or remove it to use the default.`,
			});
		}
	}
}

/** 19 digits, like the batch numbers DocFlow hands out itself. */
export function newBatchNumber(now = Date.now()): string {
	return `${now}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

export async function prepareUpload(ctx: IExecuteFunctions, itemIndex: number, mode: UploadMode): Promise<PreparedUpload> {
	const workspaceId = readId(ctx, 'workspace', itemIndex, 'Workspace', { locator: true });
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const parser = ctx.getNodeParameter('parserOptions', itemIndex, {}) as IDataObject;
	const inputType = ctx.getNodeParameter('inputType', itemIndex, 'binary') as string;

	const query: Record<string, string | number> = { workspace_id: workspaceId };
	if (typeof options.category === 'string' && options.category.trim() !== '')
		query.category = options.category.trim();
	if (options.autoVerifyVat !== undefined) query.auto_verify_vat = String(Boolean(options.autoVerifyVat));
	if (options.splitFiles !== undefined) query.split_flag = String(Boolean(options.splitFiles));
	if (options.cropMultipleImages !== undefined)
		query.crop_flag = String(Boolean(options.cropMultipleImages));
	if (options.targetProcess) query.target_process = String(options.targetProcess);
	Object.assign(query, parserQueryFrom(parser));
	checkCombineLimits(ctx, options, itemIndex);
	const retry = retrySettingsFrom(options);
	if (mode.sync) {
		// The synchronous endpoint takes with_task_detail_url itself (not with_document: the spec
		// has no such parameter there, so the text is fetched afterwards).
		if (options.includeTaskDetailUrl === true) query.with_task_detail_url = 'true';
		// One attempt lasts the whole processing: DocFlow's guide asks for at least 300 s.
		if (typeof options.requestTimeoutSeconds !== 'number') retry.timeoutMs = SYNC_UPLOAD_TIMEOUT_MS;
	}

	const prepared: PreparedUpload = {
		itemIndex,
		workspaceId,
		query,
		explicitBatchNumber:
			readId(ctx, 'options.batchNumber', itemIndex, 'Batch Number', { optional: true }) || undefined,
		oneBatchPerRun: options.oneBatchPerRun !== false,
		options,
		retry,
	};
	if (inputType === 'url') {
		prepared.urls = readFileUrls(ctx, itemIndex, MAX_URLS_PER_UPLOAD);
	} else {
		const fields = binaryFieldNames(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
		prepared.files = await readInputFiles(ctx, itemIndex, fields);
	}
	return prepared;
}
