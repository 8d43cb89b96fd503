import { randomInt } from 'node:crypto';

import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { BatchLedger } from '../../helpers/batchLedger';
import { batchingFrom, forEachItem } from '../../helpers/batching';
import { binaryFieldNames, readFileUrls, readInputFiles } from '../../helpers/binaryInput';
import type { InputFile } from '../../helpers/binaryInput';
import { errorItem, withItemIndex } from '../../helpers/itemErrors';
import {
	parserQueryFrom,
	readId,
	retrySettingsFrom,
} from '../../helpers/parameters';
import { awaitResultsIfAsked, inItemOrder } from '../../helpers/results';
import type { TrackedFile } from '../../helpers/waitForFiles';
import { MAX_URLS_PER_UPLOAD } from '../../transport/api.types';
import type { UploadedFile, UploadResult } from '../../transport/api.types';
import { DocflowApiError } from '../../transport/errors';
import { MultipartBody, escapeQuoted } from '../../transport/multipart';
import { DEFAULT_RETRY, docflowRequest } from '../../transport/request';
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

const showFor = { resource: ['file'], operation: ['upload'] };

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
	if (upload.files) return upload.files.map((file) => escapeQuoted(file.fileName));
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
 * no answer came back, the batch is read and only the files it does not have are sent again.
 */
async function send(
	ctx: IExecuteFunctions,
	upload: PreparedUpload,
	batchNumber: string,
	ledger: BatchLedger,
): Promise<Array<UploadedFile | undefined>> {
	const retry = retrySettingsFrom(upload.options);
	const rounds = retry.maxAttempts ?? DEFAULT_RETRY.maxAttempts;
	const names = sentNames(upload);
	const uploaded: Array<UploadedFile | undefined> = names.map(() => undefined);
	if (rounds > 1) await ledger.prepare(ctx, upload.workspaceId, batchNumber, upload.itemIndex, retry);

	let pending = names.map((_, index) => index);
	for (let round = 1; pending.length > 0; round++) {
		// docflowRequest only ever fails with NodeApiError/NodeOperationError, already shaped
		// for n8n; the one kind handled here is "DocFlow may have taken it".
		const attempt = await docflowRequest
			.call(ctx, {
				method: 'POST',
				endpoint: 'file/upload',
				qs: { ...upload.query, batch_number: batchNumber },
				multipart: upload.files
					? new MultipartBody(pending.map((index) => upload.files![index]))
					: undefined,
				json: upload.urls ? { urls: pending.map((index) => upload.urls![index]) } : undefined,
				itemIndex: upload.itemIndex,
				resend: 'if-not-accepted',
				retry,
			})
			.then(
				(result) => ({ result: result as UploadResult, error: undefined }),
				(error: Error) => ({ result: undefined, error }),
			);
		if (attempt.result) {
			// DocFlow lists the files it accepted; match them to what was sent by name, in order.
			const remaining = [...pending];
			for (const file of attempt.result.files ?? []) {
				if (remaining.length === 0) break;
				const k = Math.max(0, remaining.findIndex((index) => names[index] === file.name));
				uploaded[remaining[k]] = file;
				remaining.splice(k, 1);
			}
			pending = [];
			continue;
		}
		const unknown =
			attempt.error instanceof DocflowApiError && attempt.error.docflow.accepted === 'unknown';
		if (!unknown || round >= rounds) throw attempt.error;
		const { present, missing } = await ledger.reconcile(
			ctx,
			upload.workspaceId,
			batchNumber,
			pending.map((index) => names[index]),
			upload.itemIndex,
			retry,
		);
		present.forEach((file, k) => {
			uploaded[pending[k]] = { id: file.id, task_id: file.task_id, name: file.name, format: file.format };
		});
		ctx.logger.debug(
			`DocFlow upload of item ${upload.itemIndex}: no answer; ${present.size} file(s) found in batch ${batchNumber}, ${missing.length} sent again`,
		);
		pending = missing.map((k) => pending[k]);
	}
	ledger.record(
		upload.workspaceId,
		batchNumber,
		uploaded.filter((file): file is UploadedFile => file !== undefined),
	);
	return uploaded;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const items = this.getInputData();

	// Every item is checked before the first byte goes out: a bad file in item 7 must not
	// leave items 0–6 uploaded and the run stopped halfway.
	const prepared: Array<PreparedUpload | Error> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared.push(await prepare(this, itemIndex));
		} catch (error) {
			if (!this.continueOnFail()) throw withItemIndex(this, error, itemIndex);
			prepared.push(error);
		}
	}

	// Batch numbers are settled before anything is sent, so parallel items agree on them.
	const ledger = new BatchLedger();
	let runBatchNumber: string | undefined;
	const batchNumbers = prepared.map((upload) => {
		if (upload instanceof Error) return '';
		if (upload.explicitBatchNumber) return upload.explicitBatchNumber;
		const own = upload.oneBatchPerRun ? (runBatchNumber ??= newBatchNumber()) : newBatchNumber();
		ledger.markOwn(upload.workspaceId, own);
		return own;
	});

	const outputByItem = new Map<number, INodeExecutionData[]>();
	const trackedByItem = new Map<number, TrackedFile[]>();
	const options = this.getNodeParameter('options', 0, {}) as IDataObject;
	await forEachItem(prepared.length, batchingFrom(options), async (itemIndex) => {
		const upload = prepared[itemIndex];
		if (upload instanceof Error) {
			outputByItem.set(itemIndex, [errorItem(upload, itemIndex)]);
			return;
		}
		const batchNumber = batchNumbers[itemIndex];
		try {
			const uploaded = await send(this, upload, batchNumber, ledger);
			const receipts: INodeExecutionData[] = [];
			const tracked: TrackedFile[] = [];
			const refused: string[] = [];
			for (const [fileIndex, file] of uploaded.entries()) {
				const binaryField = upload.files?.[fileIndex]?.binaryPropertyName;
				if (!file) {
					refused.push(upload.files?.[fileIndex]?.fileName ?? upload.urls?.[fileIndex] ?? '');
					continue;
				}
				tracked.push({
					itemIndex,
					workspaceId: upload.workspaceId,
					batchNumber,
					fileId: file.id,
					taskId: file.task_id,
					name: file.name,
					binaryField,
				});
				const json: IDataObject = {
					workspace_id: upload.workspaceId,
					batch_number: batchNumber,
					file_id: file.id,
					task_id: file.task_id,
					name: file.name,
					format: file.format,
				};
				if (binaryField) json.binary_field = binaryField;
				const receipt: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
				if (upload.options.includeInputFile === true && binaryField) {
					receipt.binary = { [binaryField]: items[itemIndex].binary![binaryField] };
				}
				receipts.push(receipt);
			}
			if (refused.length > 0) {
				const error = new NodeOperationError(
					this.getNode(),
					`DocFlow did not accept ${refused.map((name) => `“${name}”`).join(', ')} (batch ${batchNumber}) [item ${itemIndex}]`,
					{
						itemIndex,
						description:
							'DocFlow listed the other files of this item as uploaded but not these. Check that they are readable documents of a supported format, then upload them again.',
					},
				);
				if (!this.continueOnFail()) throw error;
				receipts.push(errorItem(error, itemIndex, { workspace_id: upload.workspaceId, batch_number: batchNumber }));
			}
			trackedByItem.set(itemIndex, tracked);
			outputByItem.set(itemIndex, receipts);
		} catch (error) {
			if (!this.continueOnFail()) throw withItemIndex(this, error, itemIndex);
			outputByItem.set(itemIndex, [
				errorItem(error, itemIndex, { workspace_id: upload.workspaceId, batch_number: batchNumber }),
			]);
		}
	});

	await awaitResultsIfAsked(this, trackedByItem, outputByItem);
	return inItemOrder(outputByItem);
}
