import type { INodeProperties } from 'n8n-workflow';

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

/** How hard the node tries: shared by every operation's options. */
export const requestOptions: INodeProperties[] = [
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
