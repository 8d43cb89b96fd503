import type { INodeProperties } from 'n8n-workflow';

import * as fetchBatch from './fetchBatch.operation';
import * as retry from './retry.operation';
import * as upload from './upload.operation';

export { fetchBatch, retry, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{
				name: 'Upload',
				value: 'upload',
				description: 'Send documents to DocFlow to parse, classify and extract',
				action: 'Upload files',
			},
			{
				name: 'Fetch Batch',
				value: 'fetchBatch',
				description: 'Get the processing results of a batch, a file or a task',
				action: 'Fetch batch results',
			},
			{
				name: 'Retry',
				value: 'retry',
				description: 'Process a finished or failed task again',
				action: 'Retry a task',
			},
		],
		default: 'upload',
	},
	...upload.description,
	...fetchBatch.description,
	...retry.description,
];
