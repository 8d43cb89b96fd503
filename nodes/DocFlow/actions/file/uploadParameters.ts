import type { INodeProperties } from 'n8n-workflow';

import { categoryPicker } from '../parameters/category';
import { workspaceLocator } from '../parameters/ids';
import { parserOptions } from '../parameters/parserOptions';
import { optionsCollection } from '../parameters/requestOptions';
import { simplifyToggle, waitForCompletionToggle, waitOptions } from '../parameters/waitOptions';

/** Upload's parameters: the input (binary files or URLs), Wait for Completion and its mode, the options. */
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
		displayOptions: { show: { waitForCompletion: [true] } },
	},
	{
		// A notice, not the hint of Wait Mode: it concerns the synchronous request only.
		displayName:
			'A synchronous request holds one connection open for the whole processing time, so Request Timeout (Options) must cover the processing: 300 seconds unless you set it. If it runs out, the node looks the files up in the batch and polls for their results instead of sending them again.',
		name: 'syncRequestNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { waitForCompletion: [true], waitMode: ['sync'] } },
	},
	...simplifyToggle({ waitForCompletion: [true] }),
	optionsCollection([
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
	{
		displayName: 'Parser Options',
		name: 'parserOptions',
		type: 'collection',
		placeholder: 'Add Parser Option',
		default: {},
		options: parserOptions,
	},
];
