import { randomInt } from 'node:crypto';

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { BatchUploads } from '../../helpers/batchUploads';
import type { CombineLimits } from '../../helpers/batchUploads';
import { binaryFieldNames, readFileUrls, readInputFiles } from '../../helpers/binaryInput';
import type { InputFile } from '../../helpers/binaryInput';
import { errorItem } from '../../helpers/itemErrors';
import { replaceReceiptsWithResults } from '../../helpers/waitForCompletion';
import type { WaitRequest } from '../../helpers/waitForCompletion';
import type { TrackedFile } from '../../helpers/waitForFiles';
import {
	COMBINED_UPLOAD_DEFAULTS,
	MAX_URLS_PER_UPLOAD,
	SYNC_UPLOAD_TIMEOUT_MS,
	isFinalStatus,
} from '../../transport/api.types';
import type { DocflowFile, UploadedFile } from '../../transport/api.types';
import { fetchFiles } from '../../transport/endpoints/file';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import { alphabetical } from '../parameters/alphabetical';
import { categoryPicker } from '../parameters/category';
import { readId, workspaceLocator } from '../parameters/ids';
import { parserOptions, parserQueryFrom } from '../parameters/parserOptions';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { simplifyToggle, waitForCompletionToggle, waitOptions, waitRequestFrom } from '../parameters/waitOptions';
import { runPerItem } from '../runPerItem';


export const option = {
	name: 'Upload',
	description: 'Send documents to DocFlow to parse, classify and extract',
	action: 'Upload files',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	{
		displayName: 'Input',
		name: 'inputType',
		type: 'options',
		options: [
			{
				name: 'Binary Files',
				value: 'binary',
				description: 'Files the incoming items carry (email attachments, files read from disk or storage…)',
			},
			{
				name: 'File URLs',
				value: 'url',
				description: 'Public http(s) addresses DocFlow downloads the documents from',
			},
		],
		default: 'binary',
	},
	{
		displayName: 'Binary Field(s)',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		placeholder: 'e.g. data, attachment_0',
		hint: 'The name shown in the input’s Binary tab. Several, separated by commas, go up in one request.',
		description: 'Name of the binary field(s) holding the documents to upload',
		displayOptions: { show: { inputType: ['binary'] } },
	},
	{
		displayName: 'File URLs',
		name: 'fileUrls',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/invoice.pdf',
		description:
			'Up to 10 http(s) URLs of documents, one per line or separated by commas, or an expression that returns a list',
		typeOptions: { rows: 3 },
		displayOptions: { show: { inputType: ['url'] } },
	},
	...waitForCompletionToggle({}, true),
	{
		displayName: 'Wait Mode',
		name: 'waitMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Poll (Recommended)',
				value: 'poll',
				description:
					'Send the files, then ask DocFlow about the whole batch at intervals until every file is done. No connection stays open while DocFlow works.',
			},
			{
				name: 'Synchronous Request',
				value: 'sync',
				description:
					'Send the files to DocFlow’s synchronous endpoint (file/upload/sync), which answers only once it has processed them',
			},
		],
		default: 'poll',
		hint: 'A synchronous request holds one connection open for the whole processing time, so Request Timeout (Options) must cover the processing: 300 seconds unless you set it. If it runs out, the node looks the files up in the batch and polls for their results instead of sending them again.',
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	...simplifyToggle({ waitForCompletion: [true] }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical([
			...waitOptions,
			{
				displayName: 'Batch Number',
				name: 'batchNumber',
				type: 'string',
				default: '',
				description:
					'Put the files into this batch, e.g. to add to an earlier upload. Empty: the node picks one number for the run (see One Batch for the Run).',
			},
			categoryPicker(
				'File category to process the documents as; empty lets DocFlow classify them',
			),
			{
				displayName: 'Combine Uploads',
				name: 'combineUploads',
				type: 'boolean',
				default: true,
				description:
					'Whether to send the files of several items in one request into the same batch (items with the same workspace, batch and options), within Max Files per Request and Max Request Size. Each item still gets its own result or error. On by default for nodes added since version 1.2.',
				displayOptions: { show: { '/inputType': ['binary'] } },
			},
			{
				displayName: 'Crop Multiple Images',
				name: 'cropMultipleImages',
				type: 'boolean',
				default: false,
				description:
					'Whether to cut several documents photographed on one page (e.g. receipts) into one file each',
			},
			{
				displayName: 'Max Files per Request',
				name: 'maxFilesPerRequest',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 10,
				description:
					'With Combine Uploads: at most this many files in one request. Default 10, the most DocFlow takes in one URL upload.',
				displayOptions: { show: { '/inputType': ['binary'] } },
			},
			{
				displayName: 'Max Request Size (MiB)',
				name: 'maxRequestMiB',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1024 },
				default: 100,
				description:
					'With Combine Uploads: at most this many MiB of files in one request. Default 100, DocFlow’s limit for one file. A larger file still goes, on its own.',
				displayOptions: { show: { '/inputType': ['binary'] } },
			},
			{
				displayName: 'One Batch for the Run',
				name: 'oneBatchPerRun',
				type: 'boolean',
				default: true,
				description:
					'Whether all items of this execution go into one batch, so a single Fetch Batch finds them all. Off: one batch per item.',
			},
			...requestOptions,
			{
				displayName: 'Split Files',
				name: 'splitFiles',
				type: 'boolean',
				default: false,
				description:
					'Whether to split a file that holds several documents (e.g. a scan of many invoices) into one file per document',
			},
			{
				displayName: 'Target Process',
				name: 'targetProcess',
				type: 'options',
				options: [
					{
						name: 'Classify and Extract',
						value: 'extract',
						description: 'Parse, classify and extract fields (DocFlow’s full flow)',
					},
					{
						name: 'Classify Only',
						value: 'classify',
						description: 'Stop after classification',
					},
				],
				default: 'extract',
			},
			{
				displayName: 'Verify VAT Invoices',
				name: 'autoVerifyVat',
				type: 'boolean',
				default: false,
				description: 'Whether DocFlow checks VAT invoices with the tax authority',
			},
		]),
	},
	{
		displayName: 'Parser Options',
		name: 'parserOptions',
		type: 'collection',
		placeholder: 'Add Parser Option',
		default: {},
		options: parserOptions,
	},
];

/** What one item sends: either files or URLs, with the query every upload carries. */
interface PreparedUpload {
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
interface UploadMode {
	/** Wait for Completion by a synchronous request (file/upload/sync) rather than by polling. */
	sync: boolean;
	/** Combine items' files into shared requests within these bounds; undefined: one request per item. */
	combine?: CombineLimits;
}

/**
 * The run's upload mode, from the node's parameters (read once, as Wait for Completion is).
 * Combine Uploads is on by default from node version 1.2; earlier nodes keep one request per item.
 */
function uploadModeFrom(ctx: IExecuteFunctions): UploadMode {
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

/** A file DocFlow is done with: a final status, and so are its split or crop children. */
function isDone(file: DocflowFile): boolean {
	const children = Array.isArray(file.child_files) ? file.child_files : [];
	return isFinalStatus(file.recognition_status) && children.every((child) => isFinalStatus(child?.recognition_status));
}

/** 19 digits, like the batch numbers DocFlow hands out itself. */
function newBatchNumber(now = Date.now()): string {
	return `${now}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

async function prepare(ctx: IExecuteFunctions, itemIndex: number, mode: UploadMode): Promise<PreparedUpload> {
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

/** The item's receipts (one per file DocFlow took), and the files to wait for. */
function receiptsOf(
	ctx: IExecuteFunctions,
	upload: PreparedUpload,
	batchNumber: string,
	uploaded: Array<UploadedFile | undefined>,
): { receipts: INodeExecutionData[]; tracked: TrackedFile[] } {
	const { itemIndex, workspaceId } = upload;
	const receipts: INodeExecutionData[] = [];
	const tracked: TrackedFile[] = [];
	const refused: string[] = [];
	for (const [fileIndex, file] of uploaded.entries()) {
		const binaryField = upload.files?.[fileIndex]?.binaryPropertyName;
		if (!file) {
			refused.push(upload.files?.[fileIndex]?.fileName ?? upload.urls?.[fileIndex] ?? '');
			continue;
		}
		tracked.push({ itemIndex, workspaceId, batchNumber, fileId: file.id, taskId: file.task_id, name: file.name, binaryField });
		const json: IDataObject = {
			workspace_id: workspaceId,
			batch_number: batchNumber,
			file_id: file.id,
			task_id: file.task_id,
			name: file.name,
			format: file.format,
		};
		if (binaryField) json.binary_field = binaryField;
		const receipt: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
		if (upload.options.includeInputFile === true && binaryField) {
			receipt.binary = { [binaryField]: ctx.getInputData()[itemIndex].binary![binaryField] };
		}
		receipts.push(receipt);
	}
	if (refused.length > 0) {
		const error = itemError(
			ctx.getNode(),
			`DocFlow did not accept ${refused.map((name) => `“${name}”`).join(', ')} (batch ${batchNumber})`,
			{
				itemIndex,
				description:
					'DocFlow listed the other files of this item as uploaded but not these. Check that they are readable documents of a supported format, then upload them again.',
			},
		);
		if (!ctx.continueOnFail()) throw error;
		receipts.push(errorItem(ctx.getNode(), error, itemIndex, { workspace_id: workspaceId, batch_number: batchNumber }));
	}
	return { receipts, tracked };
}

/**
 * The synchronous answers carry no document text (file/upload/sync has no with_document): with
 * Include Document Text, the finished files are read once more per batch, with the wait's result
 * query (with_document, and with_task_detail_url when asked for).
 */
async function addDocumentText(
	ctx: IExecuteFunctions,
	known: Map<string, DocflowFile>,
	trackedByItem: Map<number, TrackedFile[]>,
	wait: WaitRequest,
): Promise<void> {
	const batches = new Map<string, TrackedFile[]>();
	for (const file of [...trackedByItem.values()].flat()) {
		if (!known.has(file.fileId)) continue;
		const key = `${file.workspaceId}\u0000${file.batchNumber}`;
		batches.set(key, [...(batches.get(key) ?? []), file]);
	}
	for (const files of batches.values()) {
		const { workspaceId, batchNumber, itemIndex } = files[0];
		const found = await fetchFiles(
			ctx,
			{ workspace_id: workspaceId, batch_number: batchNumber, ...wait.settings.resultQuery },
			{ itemIndex, retry: wait.settings.retry },
		);
		for (const file of files) {
			const withText = found.find((f) => f.id === file.fileId);
			if (withText) known.set(file.fileId, withText);
		}
	}
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const mode = uploadModeFrom(this);
	const uploads = new BatchUploads(mode.sync ? 'file/upload/sync' : 'file/upload', mode.combine);
	const trackedByItem = new Map<number, TrackedFile[]>();
	/** Final results the synchronous answers carried, by file ID: no need to poll for them. */
	const known = new Map<string, DocflowFile>();
	// Batch numbers are settled before anything is sent, so items running in parallel agree.
	let runBatchNumber: string | undefined;
	const batchNumberFor = (upload: PreparedUpload): string => {
		if (upload.explicitBatchNumber) return upload.explicitBatchNumber;
		const own = upload.oneBatchPerRun ? (runBatchNumber ??= newBatchNumber()) : newBatchNumber();
		uploads.markOwn(upload.workspaceId, own);
		return own;
	};
	return await runPerItem(this, {
		prepare: async (itemIndex) => {
			const upload = await prepare(this, itemIndex, mode);
			const batchNumber = batchNumberFor(upload);
			// Every item is checked (and added) before any request goes out: runPerItem prepares all first.
			uploads.add({
				itemIndex,
				workspaceId: upload.workspaceId,
				batchNumber,
				query: upload.query,
				files: upload.files,
				urls: upload.urls,
				retry: upload.retry,
			});
			return { upload, batchNumber };
		},
		run: async ({ upload, batchNumber }) => {
			const { files: uploaded, processed } = await uploads.result(this, upload.itemIndex);
			for (const file of processed) if (file && isDone(file)) known.set(file.id, file);
			const { receipts, tracked } = receiptsOf(this, upload, batchNumber, uploaded);
			trackedByItem.set(upload.itemIndex, tracked);
			return receipts;
		},
		known: ({ upload, batchNumber }) => ({ workspace_id: upload.workspaceId, batch_number: batchNumber }),
		finish: async (outputByItem) => {
			const wait = waitRequestFrom(this);
			if (!wait) return;
			const options = this.getNodeParameter('options', 0, {}) as IDataObject;
			if (mode.sync && known.size > 0 && options.includeDocumentText === true) {
				await addDocumentText(this, known, trackedByItem, wait);
			}
			await replaceReceiptsWithResults(this, trackedByItem, outputByItem, wait, known);
		},
	});
}
