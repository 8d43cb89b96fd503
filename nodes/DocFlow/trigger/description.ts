import type { INodeProperties } from 'n8n-workflow';

import { alphabetical } from '../actions/parameters/alphabetical';
import { categoryPicker } from '../actions/parameters/category';
import { workspaceLocator } from '../actions/parameters/ids';
import { requestOptions } from '../actions/parameters/requestOptions';
import { RECOGNITION_STATUSES, STATUS_CLASSIFIED, STATUS_FAILED, STATUS_SUCCESS } from '../transport/api.types';
import { DEFAULT_MAX_FILES_PER_POLL, SETTLE_SECONDS } from './cursor';

/** The outcomes of processing a File Processed event can stand for. */
export const PROCESSING_RESULTS = [STATUS_SUCCESS, STATUS_FAILED, STATUS_CLASSIFIED];

/** The trigger's panel: what to watch, where, and how the files come out. */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: `DocFlow has no push notifications: at every poll time the trigger asks DocFlow which files changed. It reports a file about ${SETTLE_SECONDS / 60} minute after DocFlow updated it, so that no late update is missed.`,
		name: 'pollingNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['processed'],
		description: 'What happened to a file that starts the workflow',
		options: [
			{
				name: 'File Processed',
				value: 'processed',
				description:
					'DocFlow finished a file (recognised, failed or classified only) and it awaits verification',
			},
			{
				name: 'File Rejected',
				value: 'rejected',
				description: 'Someone rejected the file in DocFlow’s verification',
			},
			{
				name: 'File Verified',
				value: 'verified',
				description: 'Someone confirmed the file in DocFlow’s verification',
			},
		],
	},
	workspaceLocator,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			categoryPicker('Only files of this category'),
			{
				displayName: 'Processing Results',
				name: 'processingResults',
				type: 'multiOptions',
				options: PROCESSING_RESULTS.map((code) => ({
					name: RECOGNITION_STATUSES[code].name,
					value: code,
				})).sort((a, b) => a.name.localeCompare(b.name, 'en')),
				default: [STATUS_SUCCESS, STATUS_FAILED, STATUS_CLASSIFIED],
				description:
					'For File Processed: which outcomes start the workflow. Leave out Recognition Failed to see only files with results.',
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return one flat item per file (fields as name: value, tables as rows) instead of DocFlow’s full response',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: alphabetical([
			{
				displayName: 'Include Document Text',
				name: 'includeDocumentText',
				type: 'boolean',
				default: false,
				description: 'Whether to add the full recognised text of every page (document)',
			},
			{
				displayName: 'Include Task Detail URL',
				name: 'includeTaskDetailUrl',
				type: 'boolean',
				default: false,
				description: 'Whether to add the link to the task’s page in DocFlow',
			},
			{
				displayName: 'Max Files per Poll',
				name: 'maxFilesPerPoll',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_MAX_FILES_PER_POLL,
				description:
					'At most this many files start one execution. When more have changed, the rest follow at the next poll times: none is dropped.',
			},
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'dateTime',
				default: '',
				description:
					'Report files DocFlow updated since this time, from the first poll on (e.g. to catch up on a backlog). Empty: only files updated after the workflow is activated. Changing it starts over from the new time.',
			},
			// Batching is about input items; a trigger has none.
			...requestOptions.filter((option) => option.name !== 'batching'),
		]),
	},
];
