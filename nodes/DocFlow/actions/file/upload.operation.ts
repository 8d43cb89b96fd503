import { randomInt } from 'node:crypto';

import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { BatchUploads } from '../../helpers/batchUploads';
import { binaryFieldNames, readFileUrls, readInputFiles } from '../../helpers/binaryInput';
import type { InputFile } from '../../helpers/binaryInput';
import { errorItem } from '../../helpers/itemErrors';
import { replaceReceiptsWithResults } from '../../helpers/waitForCompletion';
import type { TrackedFile } from '../../helpers/waitForFiles';
import { MAX_URLS_PER_UPLOAD } from '../../transport/api.types';
import type { UploadedFile } from '../../transport/api.types';
import { itemError } from '../../transport/errors';
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
function newBatchNumber(now = Date.now()): string {
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
	const uploads = new BatchUploads();
	const trackedByItem = new Map<number, TrackedFile[]>();
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
			const upload = await prepare(this, itemIndex);
			return { upload, batchNumber: batchNumberFor(upload) };
		},
		run: async ({ upload, batchNumber }) => {
			const uploaded = await uploads.send(this, {
				itemIndex: upload.itemIndex,
				workspaceId: upload.workspaceId,
				batchNumber,
				query: upload.query,
				files: upload.files,
				urls: upload.urls,
				retry: retrySettingsFrom(upload.options),
			});
			const { receipts, tracked } = receiptsOf(this, upload, batchNumber, uploaded);
			trackedByItem.set(upload.itemIndex, tracked);
			return receipts;
		},
		known: ({ upload, batchNumber }) => ({ workspace_id: upload.workspaceId, batch_number: batchNumber }),
		finish: async (outputByItem) => {
			const wait = waitRequestFrom(this);
			if (wait) await replaceReceiptsWithResults(this, trackedByItem, outputByItem, wait);
		},
	});
}
