import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { groupsOf, requireRuleRepo, rulesOf } from '../../helpers/reviewLookups';
import {
	readName,
	readRepoId,
	reviewWaitOptions,
	reviewWaitToggle,
	ruleRepositoryLocator,
} from '../../helpers/reviewParameters';
import { replaceReceiptsWhenWaiting } from '../../helpers/reviewWait';
import type { TrackedReview } from '../../helpers/reviewWait';
import { REVIEW_LIMITS, REVIEW_MODELS } from '../../transport/api.types';
import type { ReviewRuleRepo } from '../../transport/api.types';
import { submitReviewTask } from '../../transport/endpoints/reviewTasks';
import { itemError } from '../../transport/errors';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { checkBatch, checkExtractionTasks } from './extractionTasks';

export const option = {
	name: 'Submit',
	description: 'Review extracted documents against the rules of a rule repository',
	action: 'Submit a review task',
};

export const description: INodeProperties[] = [
	workspaceLocator,
	ruleRepositoryLocator,
	{
		displayName: 'Documents',
		name: 'documents',
		type: 'options',
		options: [
			{
				name: 'Batch',
				value: 'batch',
				description: 'Every document of one upload batch',
			},
			{
				name: 'Extraction Tasks',
				value: 'extractionTasks',
				description: 'Documents by the task_id an Upload or Fetch Batch outputs',
			},
		],
		default: 'extractionTasks',
		description: 'Which extracted documents to review',
	},
	{
		displayName: 'Extraction Task IDs',
		name: 'extractTaskIds',
		type: 'string',
		default: '={{ $json.task_id }}',
		required: true,
		placeholder: 'e.g. {{ $json.task_id }}',
		hint: 'The task_id of an Upload or Fetch Batch; several separated by commas are reviewed together. A split or crop parent brings all its parts.',
		description: 'Extraction tasks whose extraction succeeded, one or more',
		displayOptions: { show: { documents: ['extractionTasks'] } },
	},
	{
		displayName: 'Batch Number',
		name: 'batchNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. {{ $json.batch_number }}',
		description: 'The batch_number an Upload output; DocFlow reviews every document of the batch',
		displayOptions: { show: { documents: ['batch'] } },
	},
	{
		displayName: 'Review Task Name',
		name: 'taskName',
		type: 'string',
		default: "={{ $json.file_name ? 'Review of ' + $json.file_name.slice(0, 80) : 'Review from n8n' }}",
		required: true,
		description: `How the review task is listed in DocFlow, at most ${REVIEW_LIMITS.taskNameMaxLength} characters`,
	},
	...reviewWaitToggle(true),
	optionsCollection([
		...reviewWaitOptions,
		{
			displayName: 'Review Model',
			name: 'model',
			type: 'options',
			options: REVIEW_MODELS.map((model) => ({ name: model, value: model })),
			default: 'deepseek-v4-pro',
			description: 'The model that judges the rules. Not set: the rule repository’s default model.',
		},
	]),
];

/** Task IDs from a parameter: a list, or text separated by commas, spaces or lines. */
function readTaskIds(ctx: IExecuteFunctions, itemIndex: number): string[] {
	const raw: unknown = ctx.getNodeParameter('extractTaskIds', itemIndex, '');
	const values: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,;]+/) : [raw];
	const ids: string[] = [];
	for (const value of values) {
		if (typeof value === 'number' && !Number.isSafeInteger(value)) {
			throw itemError(ctx.getNode(), `Extraction Task ID ${value} is a number too large to be exact`, {
				itemIndex,
				description:
					'Numbers above 2^53 lose their last digits in JavaScript, so this is no longer the real task ID. Map DocFlow’s own output (it sends IDs as text), or quote the value.',
			});
		}
		if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') {
			throw itemError(ctx.getNode(), 'Extraction Task IDs must be task IDs, but the list holds an object', {
				itemIndex,
				description: 'Map the task_id field itself, e.g. {{ $json.task_id }}, or a list of them.',
			});
		}
		const id = String(value ?? '').trim();
		if (id === '') continue;
		if (!/^\d+$/.test(id)) {
			throw itemError(ctx.getNode(), `Extraction Task ID “${id}” is not a task ID`, {
				itemIndex,
				description: 'A task ID is digits only, e.g. 1900016546621900038: the task_id of an Upload or Fetch Batch.',
			});
		}
		if (!ids.includes(id)) ids.push(id);
	}
	if (ids.length === 0) {
		throw itemError(ctx.getNode(), 'Extraction Task IDs is empty', {
			itemIndex,
			description:
				'Map the task_id of the documents to review, e.g. {{ $json.task_id }} after an Upload. If it is mapped, the field it points to is empty for this item.',
		});
	}
	return ids;
}

interface PreparedSubmit {
	workspaceId: string;
	repoId: string;
	name: string;
	extractTaskIds?: string[];
	batchNumber?: string;
	model?: string;
	options: IDataObject;
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const trackedByItem = new Map<number, TrackedReview>();
	// One look at each rule repository for the whole run.
	const repos = new Map<string, ReviewRuleRepo>();
	return await runPerItem<PreparedSubmit>(this, {
		prepare: async (itemIndex) => {
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const byBatch = this.getNodeParameter('documents', itemIndex, 'extractionTasks') === 'batch';
			return {
				workspaceId: readId(this, 'workspace', itemIndex, 'Workspace', { locator: true }),
				repoId: readRepoId(this, itemIndex),
				name: readName(this, 'taskName', itemIndex, 'Review Task Name', REVIEW_LIMITS.taskNameMaxLength),
				extractTaskIds: byBatch ? undefined : readTaskIds(this, itemIndex),
				batchNumber: byBatch ? readId(this, 'batchNumber', itemIndex, 'Batch Number') : undefined,
				model: typeof options.model === 'string' && options.model !== '' ? options.model : undefined,
				options,
			};
		},
		known: ({ workspaceId, repoId, extractTaskIds, batchNumber }) => ({
			workspace_id: workspaceId,
			rule_repo_id: repoId,
			...(extractTaskIds ? { extract_task_ids: extractTaskIds } : { batch_number: batchNumber }),
		}),
		run: async (submit, itemIndex) => {
			const { workspaceId, repoId, name, extractTaskIds, batchNumber } = submit;
			const call = { itemIndex, retry: retrySettingsFrom(submit.options) };
			const key = `${workspaceId}/${repoId}`;
			const repo = repos.get(key) ?? (await requireRuleRepo(this, workspaceId, repoId, call));
			repos.set(key, repo);
			if (groupsOf(repo).every((group) => rulesOf(group).length === 0)) {
				throw itemError(this.getNode(), `Rule repository ${repoId} (“${repo.name}”) has no rules, so a review would check nothing`, {
					itemIndex,
					description: 'Add rules to it first (Rule → Create, in a Rule Group), then submit the review.',
				});
			}
			if (extractTaskIds) await checkExtractionTasks(this, workspaceId, extractTaskIds, call);
			else await checkBatch(this, workspaceId, batchNumber!, call);

			const answer = await submitReviewTask(
				this,
				{ workspaceId, name, repoId, extractTaskIds, batchNumber, model: submit.model },
				call,
				async () => {
					// DocFlow's API has no list of review tasks, so nothing can show whether it arrived.
					throw itemError(this.getNode(), `Review task “${name}” may have been created — check the review tasks of workspace ${workspaceId} in DocFlow`, {
						itemIndex,
						description:
							'DocFlow’s answer got lost, and DocFlow’s API offers no way to look review tasks up, so the node did not submit it again (that would review the documents twice). Look for the task in DocFlow’s review list; submit it again only if it is not there.',
					});
				},
			);
			const taskId = String(answer?.task_id ?? '');
			if (taskId === '') {
				throw itemError(this.getNode(), `DocFlow accepted review task “${name}” but answered without its task ID`, {
					itemIndex,
					description: `Look for the task in DocFlow’s review list (workspace ${workspaceId}); submit it again only if it is not there.`,
				});
			}
			trackedByItem.set(itemIndex, { itemIndex, workspaceId, taskId });
			const json: IDataObject = {
				workspace_id: workspaceId,
				task_id: taskId,
				task_name: name,
				rule_repo_id: repoId,
				rule_repo_name: repo.name ?? null,
			};
			if (extractTaskIds) json.extract_task_ids = extractTaskIds;
			if (batchNumber) json.batch_number = batchNumber;
			if (answer?.model) json.model = answer.model;
			return [{ json, pairedItem: { item: itemIndex } }];
		},
		finish: replaceReceiptsWhenWaiting(this, trackedByItem),
	});
}
