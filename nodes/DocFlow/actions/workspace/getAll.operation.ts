import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listAllWorkspaces } from '../../transport/endpoints/workspace';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { limitFrom, returnAllOrLimit } from '../parameters/returnAll';
import { runPerItem } from '../runPerItem';
import { workspaceItem } from './outputItem';
import { enterpriseIdOption, readEnterpriseId } from './parameters';

export const option = {
	name: 'Get Many',
	description: 'List the workspaces of an enterprise',
	action: 'Get many workspaces',
};

export const description: INodeProperties[] = [
	...returnAllOrLimit,
	optionsCollection([enterpriseIdOption]),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			enterpriseId: await readEnterpriseId(this, itemIndex),
			limit: limitFrom(this, itemIndex),
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
