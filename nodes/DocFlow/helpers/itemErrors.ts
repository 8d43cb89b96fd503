import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

/** Makes sure an error is one of n8n's node errors and names its item, whatever threw it. */
export function withItemIndex(
	node: INode,
	error: Error,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.context.itemIndex === undefined) error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error, { itemIndex });
}

/**
 * An error as it goes out on an item's output with Continue On Fail: the message and what to do,
 * DocFlow's code and trace ID when there is one, the file and binary field it concerns, and the
 * identifiers the caller knows.
 *
 * With “Continue (using regular output)” these are flat fields beside `error`. With “Continue
 * (using error output)” n8n moves an item to the error output only when its json holds nothing
 * but `error` (n8n 1.x also allows `message`, 2.x also `details`; an item's own `error` property
 * would do too, but n8n then keeps only the message), so there they all go into `error`:
 * `{ error: { message, description, docflow_code, … } }`.
 */
export function errorItem(
	node: INode,
	error: Error,
	itemIndex: number,
	known: IDataObject = {},
): INodeExecutionData {
	const nodeError = withItemIndex(node, error, itemIndex);
	const about: IDataObject = {};
	const { description, context } = nodeError;
	if (description) about.description = description;
	if (context.docflowCode !== undefined) about.docflow_code = context.docflowCode as number;
	if (context.docflowMessage !== undefined) about.docflow_message = context.docflowMessage as string;
	if (context.traceId !== undefined) about.trace_id = context.traceId as string;
	if (context.binaryField !== undefined) about.binary_field = context.binaryField as string;
	if (context.fileName !== undefined) about.file_name = context.fileName as string;
	const json: IDataObject =
		node.onError === 'continueErrorOutput'
			? { error: { message: nodeError.message, ...known, ...about } }
			: { ...known, error: nodeError.message, ...about };
	return { json, pairedItem: { item: itemIndex } };
}
