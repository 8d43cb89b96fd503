import type { IExecuteFunctions } from 'n8n-workflow';

import { itemError } from '../../transport/errors';

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
		throw itemError(ctx.getNode(), `${label} is not a date and time: “${text}”`, {
			itemIndex,
			description: 'Use a date like 2024-01-31T08:00:00Z, or pick one in the date picker.',
		});
	}
	return new Date(time).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
