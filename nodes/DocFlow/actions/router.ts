import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { DocFlowType, Resource } from './node.type';
import { resources } from './resources';

/** Runs the chosen operation, found by resource and operation in the indexes. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const chosen = {
		resource: this.getNodeParameter('resource', 0),
		operation: this.getNodeParameter('operation', 0),
	} as DocFlowType;
	const resource: Resource | undefined = (resources as Record<string, Resource>)[chosen.resource];
	const operation = resource && Object.hasOwn(resource.operations, chosen.operation)
		? resource.operations[chosen.operation]
		: undefined;
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation “${chosen.operation}” of resource “${chosen.resource}” is not supported`,
			{ description: 'This node may come from a newer version of the DocFlow package; update the package.' },
		);
	}
	return [await operation.execute.call(this)];
}
