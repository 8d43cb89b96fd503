import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { ParserParams } from '../transport/api.types';
import { itemError } from '../transport/errors';
import type { RetrySettings } from '../transport/request';
import type { WaitSettings } from './waitForFiles';

function describeValue(value: unknown): string {
	if (Array.isArray(value)) return `a list of ${value.length} values`;
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * One ID (Workspace ID, Task ID, Batch Number…) from a parameter, as a trimmed string.
 * An expression that yields a list or an object, or nothing at all, is the commonest mapping
 * mistake, so the error says which item and what to map instead.
 */
export function readId(
	ctx: IExecuteFunctions,
	parameter: string,
	itemIndex: number,
	label: string,
	{ locator = false, optional = false } = {},
): string {
	const raw: unknown = ctx.getNodeParameter(
		parameter,
		itemIndex,
		'',
		locator ? { extractValue: true } : undefined,
	);
	if (typeof raw === 'number' && Number.isSafeInteger(raw)) return String(raw);
	if (typeof raw === 'number') {
		// DocFlow's IDs have 19 digits: as a JSON number, JavaScript has already rounded them.
		throw itemError(ctx.getNode(), `${label} ${raw} is a number too large to be exact`, {
			itemIndex,
			description: `Numbers above 2^53 lose their last digits in JavaScript, so this is no longer the real ${label}. Pass it as text: map DocFlow’s own output (it sends IDs as strings), or quote the value.`,
		});
	}
	if (raw !== undefined && raw !== null && typeof raw !== 'string') {
		throw new NodeOperationError(
			ctx.getNode(),
			`${label} must be one value, but it is ${describeValue(raw)} [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Map a single field into ${label}, e.g. {{ $json.task_id }}. To handle several values, split them into separate items first (Split Out node).`,
			},
		);
	}
	const value = (raw ?? '').trim();
	if (value === '' && !optional) {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty [item ${itemIndex}]`, {
			itemIndex,
			description: `Set ${label}, or map it from an earlier node (e.g. the output of a DocFlow Upload). If it is mapped, the field it points to is empty for this item.`,
		});
	}
	return value;
}

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

/** Retry settings from the options every operation offers. */
export function retrySettingsFrom(options: IDataObject): Partial<RetrySettings> {
	const settings: Partial<RetrySettings> = {};
	if (typeof options.maxRetries === 'number') settings.maxAttempts = Math.max(0, options.maxRetries) + 1;
	if (typeof options.maxRetrySeconds === 'number')
		settings.maxRetryTimeMs = Math.max(0, options.maxRetrySeconds) * 1000;
	if (typeof options.requestTimeoutSeconds === 'number')
		settings.timeoutMs = Math.max(1, options.requestTimeoutSeconds) * 1000;
	return settings;
}

/** DocFlow wants RFC 3339 without fractions: YYYY-MM-DDTHH:MM:SSZ. */
export function toRfc3339(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const text =
		typeof value === 'object' && value !== null && 'toISO' in value
			? String((value as { toISO: () => string }).toISO())
			: String(value);
	const time = Date.parse(text);
	if (Number.isNaN(time)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${label} is not a date and time: “${text}” [item ${itemIndex}]`,
			{ itemIndex, description: 'Use a date like 2024-01-31T08:00:00Z, or pick one in the date picker.' },
		);
	}
	return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The wait's settings from an operation's options. */
export function waitSettingsFrom(options: IDataObject): WaitSettings {
	const timeoutMinutes = typeof options.timeoutMinutes === 'number' ? options.timeoutMinutes : 10;
	const pollSeconds = typeof options.pollIntervalSeconds === 'number' ? options.pollIntervalSeconds : 0;
	return {
		timeoutMs: Math.max(0, timeoutMinutes) * 60_000,
		pollIntervalMs: pollSeconds > 0 ? pollSeconds * 1000 : undefined,
		resultQuery: {
			with_document: options.includeDocumentText === true ? true : undefined,
			with_task_detail_url: options.includeTaskDetailUrl === true ? true : undefined,
		},
		retry: retrySettingsFrom(options),
	};
}
