import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readId } from '../actions/parameters/ids';
import { retrySettingsFrom } from '../actions/parameters/requestOptions';
import { waitOptions, waitRequestFrom } from '../actions/parameters/waitOptions';
import { itemError } from '../transport/errors';
import type { ReviewWaitRequest } from './reviewWait';

/**
 * The parameters the review resources share (Rule Repository, Rule Group, Rule, Review Task),
 * beside their readers.
 */

export const ruleRepositoryLocator: INodeProperties = {
	displayName: 'Rule Repository',
	name: 'ruleRepository',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The rule repository (a set of review rules, in groups) of the chosen workspace',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a rule repository…',
			typeOptions: { searchListMethod: 'searchRuleRepositories', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 31415926',
			hint: 'Rule Repository → Get Many lists every repository with its repo_id; Create outputs it',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[0-9]+\\s*$',
						errorMessage: 'A Rule Repository ID is digits only, e.g. 31415926',
					},
				},
			],
		},
	],
};

export const ruleGroupLocator: INodeProperties = {
	displayName: 'Rule Group',
	name: 'ruleGroup',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A group of rules inside the rule repository',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a rule group…',
			typeOptions: { searchListMethod: 'searchRuleGroups', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 31415926',
			hint: 'Rule Repository → Get shows each group’s group_id; Rule Group → Create outputs it',
		},
	],
};

export const ruleLocator: INodeProperties = {
	displayName: 'Rule',
	name: 'rule',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'A review rule of the rule repository',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a rule…',
			typeOptions: { searchListMethod: 'searchRules', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 31415926',
			hint: 'Rule Repository → Get lists every rule with its rule_id; Rule → Create outputs it',
		},
	],
};

/**
 * A review task. DocFlow has no list of review tasks (the spec offers none), so it is given by
 * ID: Submit outputs it.
 */
export const reviewTaskIdParameter: INodeProperties = {
	displayName: 'Review Task ID',
	name: 'reviewTaskId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. {{ $json.task_id }}',
	hint: 'Review Task → Submit outputs it as task_id (not the extraction task_id of an Upload)',
};

/** The Rule Repository's ID, checked: the spec sends it as an integer, so only digits will do. */
export function readRepoId(ctx: IExecuteFunctions, itemIndex: number): string {
	const repoId = readId(ctx, 'ruleRepository', itemIndex, 'Rule Repository', { locator: true });
	if (!/^\d+$/.test(repoId)) {
		throw itemError(ctx.getNode(), `Rule Repository ID must be digits, but it is “${repoId}”`, {
			itemIndex,
			description:
				'Pick the rule repository From List, or give its repo_id (Rule Repository → Get Many lists them), e.g. 31415926.',
		});
	}
	return repoId;
}

/** The workspace and rule repository of an item, as every operation inside a repository reads them. */
export function readRepoRef(ctx: IExecuteFunctions, itemIndex: number): { workspaceId: string; repoId: string } {
	return {
		workspaceId: readId(ctx, 'workspace', itemIndex, 'Workspace', { locator: true }),
		repoId: readRepoId(ctx, itemIndex),
	};
}

/** The Name of a rule repository, group or rule: required, worded per operation. */
export function nameParameter(placeholder: string, description: string): INodeProperties {
	return { displayName: 'Name', name: 'name', type: 'string', default: '', required: true, placeholder, description };
}

/** A name DocFlow limits in length (repository and group names: 30, task names: 100). */
export function readName(
	ctx: IExecuteFunctions,
	parameter: string,
	itemIndex: number,
	label: string,
	maxLength: number,
): string {
	const raw: unknown = ctx.getNodeParameter(parameter, itemIndex, '');
	const name = (typeof raw === 'string' ? raw : raw === undefined || raw === null ? '' : String(raw)).trim();
	if (name === '') {
		throw itemError(ctx.getNode(), `${label} is empty`, {
			itemIndex,
			description: `Set ${label}, or map it from an earlier node. If it is mapped, the field it points to is empty for this item.`,
		});
	}
	// Characters as DocFlow counts them (code points), not UTF-16 units.
	const length = [...name].length;
	if (length > maxLength) {
		throw itemError(ctx.getNode(), `${label} is ${length} characters long; DocFlow allows at most ${maxLength}`, {
			itemIndex,
			description: `Shorten “${name}” to ${maxLength} characters or fewer.`,
		});
	}
	return name;
}

/** Simplify for a review's verdict: Get Result's, and the one a wait outputs. */
export const simplifyVerdictToggle: INodeProperties = {
	displayName: 'Simplify',
	name: 'simplify',
	type: 'boolean',
	default: true,
	description:
		'Whether to return the verdict as one flat item (status word, counts, one entry per rule with its reasoning) instead of DocFlow’s full response',
};

/** Wait for Completion as the review operations offer it (default on where asked). */
export function reviewWaitToggle(defaultValue: boolean): INodeProperties[] {
	const description =
		'Whether to wait until DocFlow has reviewed every rule and output the verdict instead of the receipt';
	return [
		defaultValue
			? { displayName: 'Wait for Completion', name: 'waitForCompletion', type: 'boolean', default: true, description }
			: { displayName: 'Wait for Completion', name: 'waitForCompletion', type: 'boolean', default: false, description },
		{ ...simplifyVerdictToggle, displayOptions: { show: { waitForCompletion: [true] } } },
	];
}

/** Include Task Detail URL: the link to the review's page in DocFlow (with_task_detail_url). */
export const includeTaskDetailUrlOption: INodeProperties = {
	displayName: 'Include Task Detail URL',
	name: 'includeTaskDetailUrl',
	type: 'boolean',
	default: false,
	description: 'Whether to add the link to the review task’s page in DocFlow',
};

/** The wait's options: Poll Interval and Timeout as Upload has them, worded for a review. */
export const reviewWaitOptions: INodeProperties[] = [
	{ ...includeTaskDetailUrlOption, displayOptions: { show: { '/waitForCompletion': [true] } } },
	...waitOptions
		.filter((option) => option.name === 'pollIntervalSeconds' || option.name === 'timeoutMinutes')
		.map((option) =>
			option.name === 'timeoutMinutes'
				? {
						...option,
						description:
							'How long to wait for DocFlow’s verdict. On timeout the review goes on in DocFlow; Review Task → Get Result picks it up later.',
					}
				: {
						...option,
						description:
							'How often to ask DocFlow whether the review is done. 0: after 1 second at first, then less often, up to every 10 seconds.',
					},
		),
];

/** Wait for Completion as the node's parameters ask for it; undefined when it is off. */
export function reviewWaitRequestFrom(ctx: IExecuteFunctions): ReviewWaitRequest | undefined {
	const wait = waitRequestFrom(ctx);
	if (!wait) return undefined;
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return {
		timeoutMs: wait.settings.timeoutMs,
		pollIntervalMs: wait.settings.pollIntervalMs,
		withTaskDetailUrl: options.includeTaskDetailUrl === true,
		simplify: wait.simplify,
		retry: retrySettingsFrom(options),
	};
}
