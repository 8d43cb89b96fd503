import type { IExecuteFunctions } from 'n8n-workflow';

import { itemError } from '../../transport/errors';

/**
 * One text value of an entry an expression may fill (a category, pages, a field name, a prompt):
 * trimmed, a number written out, nothing as ''. A list or an object is the commonest mapping
 * mistake, so the error names the entry and asks for one value (`example`: what to map).
 */
export function readText(
	ctx: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
	example?: string,
): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string' || typeof value === 'number') return String(value).trim();
	throw itemError(ctx.getNode(), `${label} must be text, but it is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`, {
		itemIndex,
		description: example ? `Map a single value into it, e.g. ${example}.` : 'Map a single value into it.',
	});
}
