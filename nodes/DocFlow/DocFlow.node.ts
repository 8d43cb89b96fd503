import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import * as file from './actions/file';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class DocFlow implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DocFlow',
		name: 'docFlow',
		icon: { light: 'file:docflow.svg', dark: 'file:docflow.dark.svg' },
		group: ['transform'],
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle:
			'={{ ({ upload: "Upload files", fetchBatch: "Fetch batch results", retry: "Retry a task" })[$parameter["operation"]] }}',
		description:
			'Parse, classify, split and extract fields and tables from documents with TextIn DocFlow',
		defaults: { name: 'DocFlow' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'docFlowApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'File', value: 'file' }],
				default: 'file',
			},
			...file.description,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
