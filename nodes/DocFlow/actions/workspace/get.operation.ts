import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { getWorkspace } from '../../transport/endpoints/workspace';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { workspaceItem } from './outputItem';

export const option = {
	name: 'Get',
	description: 'Get a workspace’s name, description, visibility, administrator and callback settings',
	action: 'Get a workspace',
};

export const description: INodeProperties[] = [
	{ ...workspaceLocator, description: 'The workspace to get' },
	optionsCollection(),
];

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId }) => ({ workspace_id: workspaceId }),
		run: async ({ workspaceId, options }, itemIndex) => {
			const workspace = await getWorkspace(this, workspaceId, { itemIndex, retry: retrySettingsFrom(options) });
			return [workspaceItem(workspaceId, workspace, itemIndex)];
		},
	});
}
