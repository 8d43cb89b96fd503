import type { INodeProperties } from 'n8n-workflow';

/** A collection's options in the alphabetical order n8n's panels use, shared ones included. */
export function alphabetical(options: INodeProperties[]): INodeProperties[] {
	return [...options].sort((a, b) => a.displayName.localeCompare(b.displayName, 'en'));
}

/** Workspace, as every operation asks for it: picked from a list, or typed in. */
export const workspaceLocator: INodeProperties = {
	displayName: 'Workspace',
	name: 'workspace',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The DocFlow workspace the documents belong to',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a workspace…',
			typeOptions: {
				searchListMethod: 'searchWorkspaces',
				searchable: true,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 1234567890',
			hint: 'In DocFlow: workspace list → More Actions → Settings shows the Workspace ID',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[0-9A-Za-z_-]+\\s*$',
						errorMessage: 'A Workspace ID is letters and digits only, e.g. 1234567890',
					},
				},
			],
		},
	],
};

/** The parser options, shared by Upload (as query parameters) and Retry (as parser_params). */
export const parserOptions: INodeProperties[] = [
	{
		displayName: 'Crop and Dewarp',
		name: 'cropDewarp',
		type: 'boolean',
		default: false,
		description: 'Whether to crop photographed pages to the document and straighten them',
	},
	{
		displayName: 'DPI',
		name: 'dpi',
		type: 'options',
		options: [
			{ name: '144 (Default)', value: 144 },
			{ name: '216 (High Precision)', value: 216 },
		],
		default: 144,
		description: 'Resolution at which PDF pages are rendered for recognition',
	},
	{
		displayName: 'Formula Recognition',
		name: 'formulaLevel',
		type: 'options',
		options: [
			{ name: 'Display and Inline Formulas', value: 0 },
			{ name: 'Display Formulas Only', value: 1 },
			{ name: 'None', value: 2 },
		],
		default: 0,
	},
	{
		displayName: 'Merge Across Pages',
		name: 'mergeAcrossPages',
		type: 'boolean',
		default: true,
		description: 'Whether to merge paragraphs and tables that continue on the next page',
	},
	{
		displayName: 'Parse Mode',
		name: 'parseMode',
		type: 'options',
		options: [
			{ name: 'Auto', value: 'auto', description: 'Let DocFlow decide' },
			{ name: 'Scan', value: 'scan', description: 'Treat every page as a scanned image' },
			{ name: 'VLM', value: 'vlm', description: 'Use the vision-language model' },
		],
		default: 'auto',
	},
	{
		displayName: 'PDF Password',
		name: 'pdfPassword',
		type: 'string',
		typeOptions: { password: true },
		default: '',
		description: 'Password to open encrypted PDF files',
	},
	{
		displayName: 'Remove Watermark',
		name: 'removeWatermark',
		type: 'boolean',
		default: false,
		description: 'Whether to remove watermarks before recognition',
	},
	{
		displayName: 'Split Text Crossed by Table Lines',
		name: 'tableTextSplitMode',
		type: 'boolean',
		default: false,
		description: 'Whether to split text blocks that table lines run through',
	},
];

/** How hard the node tries, and how many items at once: shared by every operation's options. */
export const requestOptions: INodeProperties[] = [
	{
		displayName: 'Batching',
		name: 'batching',
		placeholder: 'Add Batching',
		type: 'fixedCollection',
		typeOptions: { multipleValues: false },
		default: { batch: {} },
		description: 'Work on several items at once, as the HTTP Request node does',
		options: [
			{
				displayName: 'Batching',
				name: 'batch',
				values: [
					{
						displayName: 'Items per Batch',
						name: 'itemsPerBatch',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10 },
						default: 1,
						description: 'How many items are sent to DocFlow in parallel (at most 10)',
					},
					{
						displayName: 'Batch Interval (Ms)',
						name: 'batchInterval',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'Time (in milliseconds) between each batch of requests',
					},
				],
			},
		],
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 4,
		description:
			'How often a request is sent again after a temporary failure (rate limit, DocFlow busy, network). An upload is only sent again when DocFlow provably did not receive it.',
	},
	{
		displayName: 'Max Retry Time (Seconds)',
		name: 'maxRetrySeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 120,
		description: 'Upper bound on the time spent waiting between attempts of one request',
	},
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'requestTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 120,
		description: 'How long one request may take before it counts as failed',
	},
];

/** A file category of the chosen workspace, by name (what DocFlow's `category` takes). */
export function categoryPicker(description: string): INodeProperties {
	return {
		displayName: 'Category Name or ID',
		name: 'category',
		type: 'options',
		typeOptions: {
			loadOptionsMethod: 'getCategories',
			loadOptionsDependsOn: ['workspace.value'],
		},
		default: '',
		description: `${description}. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

/**
 * A boolean whose default changed with node version 1.1: workflows built on 1 keep their
 * behaviour, new nodes get the new default.
 */
function versionedToggle(property: Omit<INodeProperties, 'default' | 'type'>, show: Show, defaultFrom1_1: boolean): INodeProperties[] {
	return [
		{ ...property, type: 'boolean', default: false, displayOptions: { show: { ...show, '@version': [1] } } },
		{
			...property,
			type: 'boolean',
			default: defaultFrom1_1,
			displayOptions: { show: { ...show, '@version': [{ _cnd: { gte: 1.1 } }] } },
		},
	];
}

export function waitForCompletionToggle(show: Show, defaultFrom1_1: boolean): INodeProperties[] {
	return versionedToggle(
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			description:
				'Whether to wait until DocFlow has processed every file and output the results instead of the upload receipt',
		},
		show,
		defaultFrom1_1,
	);
}

export function simplifyToggle(show: Show): INodeProperties[] {
	return versionedToggle(
		{
			displayName: 'Simplify',
			name: 'simplify',
			description:
				'Whether to return one flat item per file (fields as name: value, tables as rows) instead of DocFlow’s full response',
		},
		show,
		true,
	);
}

/** Options of the wait, shown with Wait for Completion on. */
export const waitOptions: INodeProperties[] = [
	{
		displayName: 'Include Document Text',
		name: 'includeDocumentText',
		type: 'boolean',
		default: false,
		description: 'Whether to add the full recognised text of every page',
		displayOptions: { show: { '/waitForCompletion': [true] } },
	},
	{
		displayName: 'Include Input File',
		name: 'includeInputFile',
		type: 'boolean',
		default: false,
		description:
			'Whether to pass the input document through to the output item, so a following email or storage node can attach or file it',
	},
	{
		displayName: 'Include Task Detail URL',
		name: 'includeTaskDetailUrl',
		type: 'boolean',
		default: false,
		description: 'Whether to add the link to the task’s page in DocFlow',
		displayOptions: { show: { '/waitForCompletion': [true] } },
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 0,
		description:
			'How often to ask DocFlow whether the files are done. 0: after 1 second at first, then less often, up to every 10 seconds.',
		displayOptions: { show: { '/waitForCompletion': [true] } },
	},
	{
		displayName: 'Timeout (Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 1 },
		default: 10,
		description:
			'How long to wait for DocFlow to finish. On timeout the work goes on in DocFlow; Fetch Batch picks it up later.',
		displayOptions: { show: { '/waitForCompletion': [true] } },
	},
];
