import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { WaitRequest } from '../../helpers/waitForCompletion';
import type { WaitSettings } from '../../helpers/waitForFiles';
import { optionsCollection, retrySettingsFrom } from './requestOptions';

type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

/**
 * A boolean whose default changed with node version 1.1: workflows built on 1 keep their
 * behaviour, new nodes get the new default.
 */
function versionedToggle(property: Omit<INodeProperties, 'default' | 'type'>, show: Show, defaultFrom1_1: boolean): INodeProperties[] {
	return [
		{ ...property, type: 'boolean', default: false, displayOptions: { show: { ...show, '@version': [1] } } },
		{
			...property,
			type: 'boolean',
			default: defaultFrom1_1,
			displayOptions: { show: { ...show, '@version': [{ _cnd: { gte: 1.1 } }] } },
		},
	];
}

export function waitForCompletionToggle(show: Show, defaultFrom1_1: boolean): INodeProperties[] {
	return versionedToggle(
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			description:
				'Whether to wait until DocFlow has processed every file and output the results instead of the upload receipt',
		},
		show,
		defaultFrom1_1,
	);
}

export function simplifyToggle(show: Show): INodeProperties[] {
	return versionedToggle(
		{
			displayName: 'Simplify',
			name: 'simplify',
			description:
				'Whether to return one flat item per file (fields as name: value, tables as rows) instead of DocFlow’s full response',
		},
		show,
		true,
	);
}

/** Options of the wait, shown with Wait for Completion on. */
export const waitOptions: INodeProperties[] = [
	{
		displayName: 'Include Document Text',
		name: 'includeDocumentText',
		type: 'boolean',
		default: false,
		description: 'Whether to add the full recognised text of every page',
		displayOptions: { show: { '/waitForCompletion': [true] } },
	},
	{
		displayName: 'Include Input File',
		name: 'includeInputFile',
		type: 'boolean',
		default: false,
		description:
			'Whether to pass the input document through to the output item, so a following email or storage node can attach or file it',
	},
	{
		displayName: 'Include Task Detail URL',
		name: 'includeTaskDetailUrl',
		type: 'boolean',
		default: false,
		description: 'Whether to add the link to the task’s page in DocFlow',
		displayOptions: { show: { '/waitForCompletion': [true] } },
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 2 },
		default: 0,
		description:
			'How often to ask DocFlow whether the files are done. 0: after 1 second at first, then less often, up to every 10 seconds.',
		displayOptions: { show: { '/waitForCompletion': [true] } },
	},
	{
		displayName: 'Timeout (Minutes)',
		name: 'timeoutMinutes',
		type: 'number',
		typeOptions: { minValue: 0, numberPrecision: 1 },
		default: 10,
		description:
			'How long to wait for DocFlow to finish. On timeout the work goes on in DocFlow; Fetch Batch picks it up later.',
		displayOptions: { show: { '/waitForCompletion': [true] } },
	},
];

/**
 * The end of an operation that starts work in DocFlow and may wait for it (Amend Category,
 * Retry): Wait for Completion, Simplify beside it, and the Options with the wait's own.
 */
export function waitParameters(waitFrom1_1: boolean): INodeProperties[] {
	return [
		...waitForCompletionToggle({}, waitFrom1_1),
		...simplifyToggle({ waitForCompletion: [true] }),
		optionsCollection(waitOptions),
	];
}

/** The wait's settings from an operation's options. */
function waitSettingsFrom(options: IDataObject): WaitSettings {
	const timeoutMinutes = typeof options.timeoutMinutes === 'number' ? options.timeoutMinutes : 10;
	const pollSeconds = typeof options.pollIntervalSeconds === 'number' ? options.pollIntervalSeconds : 0;
	return {
		timeoutMs: Math.max(0, timeoutMinutes) * 60_000,
		pollIntervalMs: pollSeconds > 0 ? pollSeconds * 1000 : undefined,
		resultQuery: {
			with_document: options.includeDocumentText === true ? true : undefined,
			with_task_detail_url: options.includeTaskDetailUrl === true ? true : undefined,
		},
		retry: retrySettingsFrom(options),
	};
}

/** Wait for Completion as the node's parameters ask for it; undefined when it is off. */
export function waitRequestFrom(ctx: IExecuteFunctions): WaitRequest | undefined {
	if (!(ctx.getNodeParameter('waitForCompletion', 0, false) as boolean)) return undefined;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		settings: waitSettingsFrom(options),
		simplify: ctx.getNodeParameter('simplify', 0, true) as boolean,
		includeInputFile: options.includeInputFile === true,
	};
}
