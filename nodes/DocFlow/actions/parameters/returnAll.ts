import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { itemError } from '../../transport/errors';

/** Return All, or Limit: every list operation's pair, as n8n's own nodes have it. */
export const returnAllOrLimit: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { returnAll: [false] } },
	},
];

/**
 * How many results an item asks for: undefined for Return All, else Limit as a whole number
 * from 1 (an expression can give anything, so it is checked before any request).
 */
export function limitFrom(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex, false) as boolean) return undefined;
	const raw: unknown = ctx.getNodeParameter('limit', itemIndex, 50);
	const limit = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		// The wording Workspace and Category Sample → Get Many have always used (their tests pin it).
		throw itemError(ctx.getNode(), `Limit must be a whole number of 1 or more, not ${JSON.stringify(raw)}`, {
			itemIndex,
			description: 'Set Limit to how many results to return (e.g. 50), or turn on Return All.',
		});
	}
	return limit;
}
