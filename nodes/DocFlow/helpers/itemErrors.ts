import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

/**
 * An error as it goes out on an item's output with "Continue On Fail": the message and what
 * to do, DocFlow's code and trace ID when there is one, and the identifiers the caller knows.
 */
export function errorItem(
	error: Error,
	itemIndex: number,
	known: IDataObject = {},
): INodeExecutionData {
	const json: IDataObject = { ...known, error: error.message };
	const { description, context } = error as Error & {
		description?: string | null;
		context?: IDataObject;
	};
	if (description) json.description = description;
	if (context?.docflowCode !== undefined) json.docflow_code = context.docflowCode;
	if (context?.docflowMessage !== undefined) json.docflow_message = context.docflowMessage;
	if (context?.traceId !== undefined) json.trace_id = context.traceId;
	if (context?.binaryField !== undefined) json.binary_field = context.binaryField;
	if (context?.fileName !== undefined) json.file_name = context.fileName;
	return { json, pairedItem: { item: itemIndex } };
}

/** Makes sure an error names its item, whatever threw it. */
export function withItemIndex(ctx: IExecuteFunctions, error: Error, itemIndex: number): Error {
	const candidate = error as Error & { context?: IDataObject };
	if (candidate.context && typeof candidate.context === 'object') {
		if (candidate.context.itemIndex === undefined) candidate.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(ctx.getNode(), error, { itemIndex });
}
