import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { listSearch, loadOptions } from './methods';
import { triggerProperties } from './trigger/description';
import { pollDocflow } from './trigger/poll';

/**
 * Starts a workflow when DocFlow finishes, verifies or rejects a file. DocFlow has no change feed
 * and no documented webhook, so this is n8n's polling trigger over file/fetch (see trigger/cursor.ts
 * for how the windows of update times make sure no file is missed or reported twice). It shares
 * the action node's transport, pickers and output format.
 */
export class DocFlowTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DocFlow Trigger',
		name: 'docFlowTrigger',
		icon: { light: 'file:docflow.svg', dark: 'file:docflow.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).map(e => ({ processed: "File Processed", verified: "File Verified", rejected: "File Rejected" })[e] || e).join(", ") }}',
		description: 'Starts the workflow when TextIn DocFlow has processed, verified or rejected a document',
		defaults: { name: 'DocFlow Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'docFlowApi', required: true }],
		properties: triggerProperties,
	};

	methods = { listSearch, loadOptions };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollDocflow.call(this);
	}
}
