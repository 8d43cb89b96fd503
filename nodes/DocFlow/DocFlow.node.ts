import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { nodeProperties, subtitle } from './actions/resources';
import { router } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class DocFlow implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'DocFlow',
		name: 'docFlow',
		icon: { light: 'file:docflow.svg', dark: 'file:docflow.dark.svg' },
		group: ['transform'],
		// 1.1: Wait for Completion and Simplify on by default; 1.2: Upload's Combine Uploads on by default.
		version: [1, 1.1, 1.2],
		defaultVersion: 1.2,
		subtitle: subtitle(),
		description:
			'Parse, classify, split and extract fields and tables from documents with TextIn DocFlow',
		defaults: { name: 'DocFlow' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'docFlowApi', required: true }],
		properties: nodeProperties(),
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
