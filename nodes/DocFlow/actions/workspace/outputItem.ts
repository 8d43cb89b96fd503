import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { WorkspaceDetails } from '../../transport/api.types';

/** A workspace as one flat output item: DocFlow's object, workspace_id first (always there, to map on). */
export function workspaceItem(
	workspaceId: string,
	workspace: WorkspaceDetails | IDataObject | undefined,
	itemIndex: number,
	extra: IDataObject = {},
): INodeExecutionData {
	const json: IDataObject = { workspace_id: workspaceId, ...(workspace as IDataObject | undefined), ...extra };
	if (json.workspace_id === undefined || json.workspace_id === null || json.workspace_id === '') json.workspace_id = workspaceId;
	return { json, pairedItem: { item: itemIndex } };
}
