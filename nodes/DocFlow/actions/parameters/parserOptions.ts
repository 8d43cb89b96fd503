import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { ParserParams } from '../../transport/api.types';

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

/** Parser options from the node's collection, in the API's own names. */
export function parserParamsFrom(options: IDataObject): ParserParams {
	const params: ParserParams = {};
	const flag = (value: unknown) => (value ? 1 : 0);
	if (options.removeWatermark !== undefined) params.remove_watermark = flag(options.removeWatermark);
	if (options.cropDewarp !== undefined) params.crop_dewarp = flag(options.cropDewarp);
	if (options.mergeAcrossPages !== undefined) params.apply_merge = flag(options.mergeAcrossPages);
	if (options.formulaLevel !== undefined) params.formula_level = Number(options.formulaLevel);
	if (options.tableTextSplitMode !== undefined)
		params.table_text_split_mode = flag(options.tableTextSplitMode);
	if (options.dpi !== undefined) params.dpi = Number(options.dpi);
	if (options.parseMode !== undefined && options.parseMode !== '')
		params.parse_mode = String(options.parseMode);
	if (typeof options.pdfPassword === 'string' && options.pdfPassword !== '')
		params.pdf_pwd = options.pdfPassword;
	return params;
}

/** The same parser options as the upload's `parser_*` query parameters. */
export function parserQueryFrom(options: IDataObject): Record<string, string | number> {
	const query: Record<string, string | number> = {};
	for (const [name, value] of Object.entries(parserParamsFrom(options))) {
		if (value !== undefined) query[`parser_${name}`] = value;
	}
	return query;
}
