import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { RetrySettings } from '../../transport/request';
import { alphabetical } from './alphabetical';

/** How hard the node tries, and how many items at once: shared by every operation's options. */
export const requestOptions: INodeProperties[] = [
	{
		displayName: 'Batching',
		name: 'batching',
		placeholder: 'Add Batching',
		type: 'fixedCollection',
		typeOptions: { multipleValues: false },
		default: { batch: {} },
		description: 'Work on several items at once, as the HTTP Request node does',
		options: [
			{
				displayName: 'Batching',
				name: 'batch',
				values: [
					{
						displayName: 'Items per Batch',
						name: 'itemsPerBatch',
						type: 'number',
						typeOptions: { minValue: 1, maxValue: 10 },
						default: 1,
						description: 'How many items are sent to DocFlow in parallel (at most 10)',
					},
					{
						displayName: 'Batch Interval (Ms)',
						name: 'batchInterval',
						type: 'number',
						typeOptions: { minValue: 0 },
						default: 0,
						description: 'Time (in milliseconds) between each batch of requests',
					},
				],
			},
		],
	},
	{
		displayName: 'Max Retries',
		name: 'maxRetries',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 10 },
		default: 4,
		description:
			'How often a request is sent again after a temporary failure (rate limit, DocFlow busy, network). An upload is only sent again when DocFlow provably did not receive it.',
	},
	{
		displayName: 'Max Retry Time (Seconds)',
		name: 'maxRetrySeconds',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 120,
		description:
			'Upper bound on the whole time spent on one request, attempts and the waits between them included: no new attempt starts after it',
	},
	{
		displayName: 'Request Timeout (Seconds)',
		name: 'requestTimeoutSeconds',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 120,
		description: 'How long one request may take before it counts as failed',
	},
];

/** An operation's Options collection: its own options beside the request options, alphabetical. */
export function optionsCollection(own: INodeProperties[] = []): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical([...own, ...requestOptions]),
	};
}

/** Retry settings from the options every operation offers. */
export function retrySettingsFrom(options: IDataObject): Partial<RetrySettings> {
	const settings: Partial<RetrySettings> = {};
	if (typeof options.maxRetries === 'number') settings.maxAttempts = Math.max(0, options.maxRetries) + 1;
	if (typeof options.maxRetrySeconds === 'number')
		settings.maxRetryTimeMs = Math.max(0, options.maxRetrySeconds) * 1000;
	if (typeof options.requestTimeoutSeconds === 'number')
		settings.timeoutMs = Math.max(1, options.requestTimeoutSeconds) * 1000;
	return settings;
}
