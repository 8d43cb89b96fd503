import { randomInt } from 'node:crypto';

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { BatchLedger } from '../../helpers/batchLedger';
import { binaryFieldNames, readFileUrls, readInputFiles } from '../../helpers/binaryInput';
import type { InputFile } from '../../helpers/binaryInput';
import { errorItem } from '../../helpers/itemErrors';
import {
	parserQueryFrom,
	readId,
	retrySettingsFrom,
} from '../../helpers/parameters';
import { awaitResultsIfAsked } from '../../helpers/results';
import type { TrackedFile } from '../../helpers/waitForFiles';
import { MAX_URLS_PER_UPLOAD } from '../../transport/api.types';
import type { UploadedFile, UploadResult } from '../../transport/api.types';
import { itemError } from '../../transport/errors';
import { MultipartBody } from '../../transport/multipart';
import { sendVerified } from '../../transport/sendVerified';
import {
	alphabetical,
	categoryPicker,
	parserOptions,
	requestOptions,
	simplifyToggle,
	waitForCompletionToggle,
	waitOptions,
	workspaceLocator,
} from '../common.descriptions';
import { runPerItem } from '../runPerItem';

const showFor = { resource: ['file'], operation: ['upload'] };

export const option = {
	name: 'Upload',
	description: 'Send documents to DocFlow to parse, classify and extract',
	action: 'Upload files',
};

export const description: INodeProperties[] = [
	{ ...workspaceLocator, displayOptions: { show: showFor } },
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
		displayOptions: { show: showFor },
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
		displayOptions: { show: { ...showFor, inputType: ['binary'] } },
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
		displayOptions: { show: { ...showFor, inputType: ['url'] } },
	},
	...waitForCompletionToggle(showFor, true),
	...simplifyToggle({ ...showFor, waitForCompletion: [true] }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showFor },
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
				displayName: 'Crop Multiple Images',
				name: 'cropMultipleImages',
				type: 'boolean',
				default: false,
				description:
					'Whether to cut several documents photographed on one page (e.g. receipts) into one file each',
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
		displayOptions: { show: showFor },
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
}

/** 19 digits, like the batch numbers DocFlow hands out itself. */
export function newBatchNumber(now = Date.now()): string {
	return `${now}${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

async function prepare(ctx: IExecuteFunctions, itemIndex: number): Promise<PreparedUpload> {
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

	const prepared: PreparedUpload = {
		itemIndex,
		workspaceId,
		query,
		explicitBatchNumber:
			readId(ctx, 'options.batchNumber', itemIndex, 'Batch Number', { optional: true }) || undefined,
		oneBatchPerRun: options.oneBatchPerRun !== false,
		options,
	};
	if (inputType === 'url') {
		prepared.urls = readFileUrls(ctx, itemIndex, MAX_URLS_PER_UPLOAD);
	} else {
		const fields = binaryFieldNames(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
		prepared.files = await readInputFiles(ctx, itemIndex, fields);
	}
	return prepared;
}

/** The name DocFlow stores for what the item sends, to find the files in the batch again. */
function sentNames(upload: PreparedUpload): string[] {
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

/**
 * Sends one item's files and returns what DocFlow made of each, in the order sent
 * (undefined: DocFlow did not accept that file). When DocFlow may have taken them although
 * no answer came back, the batch is read and only the files it does not have are sent again;
 * a file that may be another item's (same name, same batch, both answers lost) fails the item
 * with a pointer to the batch rather than being guessed.
 */
async function send(
	ctx: IExecuteFunctions,
	upload: PreparedUpload,
	batchNumber: string,
	ledger: BatchLedger,
): Promise<Array<UploadedFile | undefined>> {
	const retry = retrySettingsFrom(upload.options);
	const { itemIndex, workspaceId } = upload;
	const names = sentNames(upload);
	const uploaded: Array<UploadedFile | undefined> = names.map(() => undefined);
	await ledger.prepare(ctx, workspaceId, batchNumber, itemIndex, retry);

	let pending = names.map((_, index) => index);
	const answer = await sendVerified<UploadResult>(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'file/upload',
			qs: { ...upload.query, batch_number: batchNumber },
			multipart: upload.files
				? new MultipartBody(pending.map((index) => upload.files![index]))
				: undefined,
			json: upload.urls ? { urls: pending.map((index) => upload.urls![index]) } : undefined,
			itemIndex,
			retry,
		}),
		track: async (attempt) =>
			await ledger.inFlight(workspaceId, batchNumber, itemIndex, pending.map((i) => names[i]), async () => {
				const result = await attempt();
				ledger.record(workspaceId, batchNumber, (result as UploadResult | undefined)?.files ?? []);
				return result;
			}),
		verify: async () => {
			const found = await ledger.reconcile(
				ctx,
				workspaceId,
				batchNumber,
				itemIndex,
				pending.map((index) => names[index]),
				retry,
			);
			if (found.ambiguous.length > 0) {
				const which = found.ambiguous.map((k) => `“${names[pending[k]]}”`).join(', ');
				throw itemError(ctx.getNode(), `${which} may have been uploaded — check batch ${batchNumber}`, {
					itemIndex,
					description: `The answer to this upload got lost, and another item of this run also sent a file of the same name into batch ${batchNumber} without an answer, so the node cannot tell which stored file is whose. It did not send the file again, to avoid a duplicate. Look at batch ${batchNumber} with Fetch Batch; if the document is missing, upload it again (a distinct file name avoids this).`,
					context: { fileName: found.ambiguous.map((k) => names[pending[k]]).join(', ') },
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
	});
	if (answer) {
		// DocFlow lists the files it accepted; match them to what was sent by name, in order.
		const remaining = [...pending];
		for (const file of answer.files ?? []) {
			if (remaining.length === 0) break;
			const k = Math.max(0, remaining.findIndex((index) => names[index] === file.name));
			uploaded[remaining[k]] = file;
			remaining.splice(k, 1);
		}
	}
	return uploaded;
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

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const ledger = new BatchLedger();
	const trackedByItem = new Map<number, TrackedFile[]>();
	// Batch numbers are settled before anything is sent, so items running in parallel agree.
	let runBatchNumber: string | undefined;
	const batchNumberFor = (upload: PreparedUpload): string => {
		if (upload.explicitBatchNumber) return upload.explicitBatchNumber;
		const own = upload.oneBatchPerRun ? (runBatchNumber ??= newBatchNumber()) : newBatchNumber();
		ledger.markOwn(upload.workspaceId, own);
		return own;
	};
	return await runPerItem(this, {
		prepare: async (itemIndex) => {
			const upload = await prepare(this, itemIndex);
			return { upload, batchNumber: batchNumberFor(upload) };
		},
		run: async ({ upload, batchNumber }) => {
			const uploaded = await send(this, upload, batchNumber, ledger);
			const { receipts, tracked } = receiptsOf(this, upload, batchNumber, uploaded);
			trackedByItem.set(upload.itemIndex, tracked);
			return receipts;
		},
		known: ({ upload, batchNumber }) => ({ workspace_id: upload.workspaceId, batch_number: batchNumber }),
		finish: async (outputByItem) => await awaitResultsIfAsked(this, trackedByItem, outputByItem),
	});
}
