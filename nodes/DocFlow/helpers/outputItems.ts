import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { DocflowFile } from '../transport/api.types';
import { simplifyWithChildren } from './simplify';

export interface OutputOptions {
	simplify: boolean;
	/** Added to simplified items, so a following Retry or Fetch Batch can map it. */
	workspaceId?: string;
	/** Pass the input item's file(s) through to the output, for a following email or storage node. */
	includeInputFile: boolean;
}

/** The input binary to pass through: the one field a file came from, or all of them. */
function passThrough(
	ctx: IExecuteFunctions,
	itemIndex: number,
	binaryField: string | undefined,
): IBinaryKeyData | undefined {
	const binary = ctx.getInputData()[itemIndex]?.binary;
	if (!binary) return undefined;
	if (binaryField === undefined) return binary;
	return binary[binaryField] ? { [binaryField]: binary[binaryField] } : undefined;
}

/** A file (and, simplified, its children) as output items paired with their source item. */
export function fileItems(
	ctx: IExecuteFunctions,
	file: DocflowFile,
	itemIndex: number,
	options: OutputOptions,
	binaryField?: string,
): INodeExecutionData[] {
	const jsons = options.simplify
		? simplifyWithChildren(file).map((json) =>
				options.workspaceId === undefined ? json : { workspace_id: options.workspaceId, ...json },
			)
		: [file as unknown as IDataObject];
	return jsons.map((json, index) => {
		const item: INodeExecutionData = { json, pairedItem: { item: itemIndex } };
		if (index === 0 && options.includeInputFile) {
			const binary = passThrough(ctx, itemIndex, binaryField);
			if (binary) item.binary = binary;
		}
		return item;
	});
}
