import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { WORKSPACE_LIMITS } from '../../transport/api.types';
import type { WorkspaceDetails } from '../../transport/api.types';
import { getWorkspace, updateWorkspace } from '../../transport/endpoints/workspace';
import type { WorkspaceUpdateBody } from '../../transport/endpoints/workspace';
import { itemError } from '../../transport/errors';
import { alphabetical } from '../parameters/alphabetical';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { workspaceItem } from './outputItem';
import {
	readAuthScope,
	readCallbackRetries,
	readCallbackUrl,
	readDescription,
	readName,
	visibleToField,
} from './parameters';

export const option = {
	name: 'Update',
	description: 'Change a workspace’s name, description, visibility or callback',
	action: 'Update a workspace',
};

export const description: INodeProperties[] = [
	{ ...workspaceLocator, description: 'The workspace to change' },
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'Only the fields added here change; the workspace keeps every other value',
		options: alphabetical([
			{
				displayName: 'Callback Retry Count',
				name: 'callbackRetryTime',
				type: 'number',
				// The spec's range for callback_retry_time.
				typeOptions: { minValue: 1, maxValue: 3 },
				default: 3,
				description: 'How often DocFlow calls the Callback URL again when a call fails (1 to 3)',
			},
			{
				displayName: 'Callback URL',
				name: 'callbackUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. https://example.com/docflow-callback',
				description:
					'The address DocFlow calls when it has processed a document of this workspace (an n8n Webhook node’s Production URL works). Empty removes the callback.',
			},
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: `What the workspace is for, at most ${WORKSPACE_LIMITS.updateDescriptionMaxLength} characters. Empty clears it.`,
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. Acme Corp invoices',
				description: `The new name, at most ${WORKSPACE_LIMITS.nameMaxLength} characters`,
			},
			visibleToField('Who can see and use the workspace in DocFlow'),
		]),
	},
	optionsCollection(),
];

/** The fields the user changes, in the API's names. */
type Changes = Partial<Omit<WorkspaceUpdateBody, 'workspace_id'>>;

function readChanges(ctx: IExecuteFunctions, itemIndex: number): Changes {
	const fields = ctx.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const has = (name: string) => Object.hasOwn(fields, name);
	const changes: Changes = {};
	if (has('name')) changes.name = readName(ctx, 'updateFields.name', itemIndex);
	if (has('description'))
		changes.description = readDescription(
			ctx,
			'updateFields.description',
			itemIndex,
			WORKSPACE_LIMITS.updateDescriptionMaxLength,
		);
	if (has('authScope')) changes.auth_scope = readAuthScope(ctx, 'updateFields.authScope', itemIndex);
	if (has('callbackUrl')) changes.callback_url = readCallbackUrl(ctx, 'updateFields.callbackUrl', itemIndex) ?? '';
	if (has('callbackRetryTime'))
		changes.callback_retry_time = readCallbackRetries(ctx, 'updateFields.callbackRetryTime', itemIndex);
	if (Object.keys(changes).length === 0) {
		throw itemError(ctx.getNode(), 'Nothing to update: no field is set under Update Fields', {
			itemIndex,
			description: 'Add the fields to change (Name, Description, Visible To, Callback URL, Callback Retry Count) under Update Fields.',
		});
	}
	return changes;
}

const inRetryRange = (value: unknown): value is number =>
	typeof value === 'number' &&
	Number.isInteger(value) &&
	value >= WORKSPACE_LIMITS.callbackRetryMin &&
	value <= WORKSPACE_LIMITS.callbackRetryMax;

/**
 * The whole body workspace/update takes: the spec requires name and auth_scope on every update
 * and does not say that a field left out keeps its value, so every field the user did not
 * change is sent as DocFlow has it now. A callback retry count outside the spec's 1–3 (0: never
 * set) is left out rather than sent back.
 */
function mergedBody(
	ctx: IExecuteFunctions,
	workspaceId: string,
	current: WorkspaceDetails,
	changes: Changes,
	itemIndex: number,
): WorkspaceUpdateBody {
	const name = changes.name ?? (typeof current.name === 'string' ? current.name : undefined);
	const authScope = changes.auth_scope ?? (current.auth_scope === 0 || current.auth_scope === 1 ? current.auth_scope : undefined);
	if (name === undefined || authScope === undefined) {
		const missing = name === undefined ? 'name' : 'visibility (auth_scope)';
		throw itemError(ctx.getNode(), `DocFlow did not return workspace ${workspaceId}’s ${missing}, which every update must send`, {
			itemIndex,
			description: `Add ${name === undefined ? 'Name' : 'Visible To'} under Update Fields, so the node can send it.`,
		});
	}
	const body: WorkspaceUpdateBody = { workspace_id: workspaceId, name, auth_scope: authScope };
	const description = changes.description ?? current.description;
	if (typeof description === 'string') body.description = description;
	const callbackUrl = changes.callback_url ?? current.callback_url;
	if (typeof callbackUrl === 'string') body.callback_url = callbackUrl;
	const retries = changes.callback_retry_time ?? current.callback_retry_time;
	if (inRetryRange(retries)) body.callback_retry_time = retries;
	return body;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	return await runPerItem(this, {
		prepare: async (itemIndex) => ({
			workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
			changes: readChanges(this, itemIndex),
			options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}),
		known: ({ workspaceId }) => ({ workspace_id: workspaceId }),
		run: async ({ workspaceId, changes, options }, itemIndex) => {
			const retry = retrySettingsFrom(options);
			const current = (await getWorkspace(this, workspaceId, { itemIndex, retry })) ?? ({} as WorkspaceDetails);
			const body = mergedBody(this, workspaceId, current, changes, itemIndex);
			await updateWorkspace(this, body, { itemIndex, retry });
			return [workspaceItem(workspaceId, { ...current, ...body }, itemIndex)];
		},
	});
}
