import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listAllWorkspaces } from '../../transport/endpoints/workspace';
import { itemError } from '../../transport/errors';
import { alphabetical } from '../parameters/alphabetical';
import { requestOptions, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { enterpriseIdOption, readEnterpriseId, workspaceItem } from './fields';

export const option = {
	name: 'Get Many',
	description: 'List the workspaces of an enterprise',
	action: 'Get many workspaces',
};

export const description: INodeProperties[] = [
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
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical([enterpriseIdOption, ...requestOptions]),
	},
];

/** Limit: a whole number from 1 (an expression can give anything). */
function readLimit(ctx: IExecuteFunctions, itemIndex: number): number {
	const raw: unknown = ctx.getNodeParameter('limit', itemIndex, 50);
	const limit = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
		throw itemError(ctx.getNode(), `Limit must be a whole number of 1 or more, not ${JSON.stringify(raw)}`, {
			itemIndex,
			description: 'Set Limit to how many workspaces to return, or turn on Return All.',
		});
	}
	return limit;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			enterpriseId: await readEnterpriseId(this, itemIndex),
			limit: (this.getNodeParameter('returnAll', itemIndex, false) as boolean) ? undefined : readLimit(this, itemIndex),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ enterpriseId }) => ({ enterprise_id: enterpriseId }),
		run: async ({ enterpriseId, limit, options }, itemIndex) => {
			const workspaces = await listAllWorkspaces(this, enterpriseId, {
				itemIndex,
				limit,
				retry: retrySettingsFrom(options),
			});
			return workspaces.map((workspace) => workspaceItem(String(workspace.workspace_id ?? ''), workspace, itemIndex));
		},
	});
}
