import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

/** One output item, paired with its input item. */
export function outputItem(json: IDataObject, itemIndex: number): INodeExecutionData {
	return { json, pairedItem: { item: itemIndex } };
}
