import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { replaceReceiptsWithResults } from '../../helpers/waitForCompletion';
import type { TrackedFile } from '../../helpers/waitForFiles';
import { isFinalStatus, recognitionStatus } from '../../transport/api.types';
import type { AmendCategoryBody, DocflowFile } from '../../transport/api.types';
import { listAllCategories } from '../../transport/endpoints/category';
import { amendCategory, findFile } from '../../transport/endpoints/file';
import type { FoundFile } from '../../transport/endpoints/file';
import { itemError } from '../../transport/errors';
import type { Verification } from '../../transport/sendVerified';
import { readId, workspaceLocator } from '../parameters/ids';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { simplifyToggle, waitForCompletionToggle, waitOptions, waitRequestFrom } from '../parameters/waitOptions';
import { assertFinished, notFoundError, partsOf, runCheckedWrites, taskLocator } from './results';

export const option = {
	name: 'Amend Category',
	description: 'Give a processed file (or the parts of a split or cropped one) another category; DocFlow extracts it again',
	action: 'Amend a file’s category',
};

function categoryOption(show?: NonNullable<INodeProperties['displayOptions']>['show']): INodeProperties {
	return {
		displayName: 'Category Name or ID',
		name: 'category',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getAssignableCategories', loadOptionsDependsOn: ['workspace.value'] },
		default: '',
		required: true,
		description:
			'One of the workspace’s enabled categories, by name. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		...(show ? { displayOptions: { show } } : {}),
	};
}

export const description: INodeProperties[] = [
	workspaceLocator,
	taskLocator,
	{
		displayName: 'Task Type',
		name: 'taskType',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Crop Parent',
				value: 'crop',
				description: 'A file cut into several images (Crop Multiple Images): give some images another category',
			},
			{ name: 'Regular', value: 'regular', description: 'A file that was neither split nor cropped' },
			{
				name: 'Split Parent',
				value: 'split',
				description: 'A file split into parts (Split Files): cut it into parts again, each with its category',
			},
		],
		default: 'regular',
		hint: 'Fetch Batch shows it as task_type: regular, or parent with child_files of split parts or cropped images',
	},
	categoryOption({ taskType: ['regular'] }),
	{
		displayName: 'Parts',
		name: 'splitTasks',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Part',
		default: {},
		required: true,
		displayOptions: { show: { taskType: ['split'] } },
		hint: 'List every part, also those that stay as they are: DocFlow replaces all parts of the file, and a part left out is deleted',
		options: [
			{
				displayName: 'Part',
				name: 'part',
				values: [
					categoryOption(),
					{
						displayName: 'Pages',
						name: 'pages',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. 1-2, 4',
						description:
							'The pages of the original file in this part, the first page being 1: single pages and ranges, separated by commas. A page belongs to one part only.',
					},
				],
			},
		],
	},
	{
		displayName: 'Images',
		name: 'cropTasks',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Image',
		default: {},
		required: true,
		displayOptions: { show: { taskType: ['crop'] } },
		options: [
			{
				displayName: 'Image',
				name: 'image',
				values: [
					{
						displayName: 'Image Task ID',
						name: 'taskId',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. {{ $json.task_id }}',
						description:
							'The cropped image’s own task ID (Fetch Batch lists the images of the file in child_files; simplified, they follow the file with task_type “cropped image”)',
					},
					categoryOption(),
				],
			},
		],
	},
	...waitForCompletionToggle({}, true),
	...simplifyToggle({ waitForCompletion: [true] }),
	optionsCollection(waitOptions),
];

type Mode = 'regular' | 'split' | 'crop';

interface PreparedAmend {
	workspaceId: string;
	taskId: string;
	mode: Mode;
	body: AmendCategoryBody;
	options: IDataObject;
}

function textOf(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string' || typeof value === 'number') return String(value).trim();
	throw itemError(ctx.getNode(), `${label} must be text, but it is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}`, {
		itemIndex,
		description: 'Map a single value into it.',
	});
}

function readCategory(ctx: IExecuteFunctions, value: unknown, where: string, itemIndex: number): string {
	const category = textOf(ctx, value, `The category ${where}`, itemIndex);
	if (category === '') {
		throw itemError(ctx.getNode(), `The category ${where} is empty`, {
			itemIndex,
			description: 'Choose the new category from the list (the workspace’s enabled categories), or give its name.',
		});
	}
	return category;
}

/** "1-2, 4" (pages as people count them) → [0, 1, 3] (as DocFlow counts them). */
function readPages(ctx: IExecuteFunctions, value: unknown, part: number, itemIndex: number): number[] {
	const raw = Array.isArray(value) ? value.join(',') : textOf(ctx, value, `The pages of part ${part}`, itemIndex);
	const pages: number[] = [];
	const fail = (why: string) =>
		itemError(ctx.getNode(), `The pages of part ${part} ${why}`, {
			itemIndex,
			description: 'Give the pages of the original file as people count them (the first page is 1): single pages and ranges, separated by commas, e.g. 1-2, 4.',
		});
	for (const token of raw.split(',').map((t) => t.trim()).filter(Boolean)) {
		const match = /^(\d+)\s*(?:-\s*(\d+))?$/.exec(token);
		if (!match) throw fail(`are not page numbers: “${token}”`);
		const from = Number(match[1]);
		const to = match[2] !== undefined ? Number(match[2]) : from;
		if (from < 1 || to < from) throw fail(`hold an impossible range: “${token}”`);
		for (let page = from; page <= to; page++) if (!pages.includes(page - 1)) pages.push(page - 1);
	}
	if (pages.length === 0) throw fail('are empty');
	return pages;
}

/** The body of one item: what the chosen task type takes, checked as far as it can be without DocFlow. */
function readBody(ctx: IExecuteFunctions, itemIndex: number, mode: Mode, workspaceId: string, taskId: string): AmendCategoryBody {
	const node = ctx.getNode();
	const body: AmendCategoryBody = { workspace_id: workspaceId, task_id: taskId };
	if (mode === 'regular') {
		body.category = readCategory(ctx, ctx.getNodeParameter('category', itemIndex, ''), 'to give the file', itemIndex);
		return body;
	}
	if (mode === 'split') {
		const parts = (ctx.getNodeParameter('splitTasks', itemIndex, {}) as { part?: IDataObject[] }).part ?? [];
		if (parts.length === 0) {
			throw itemError(node, 'No part is given: a split file needs every part listed', {
				itemIndex,
				description: 'Add a part under Parts for every part the file should have, with its category and pages.',
			});
		}
		const owner = new Map<number, number>();
		body.split_tasks = parts.map((entry, i) => {
			const pages = readPages(ctx, entry.pages, i + 1, itemIndex);
			for (const page of pages) {
				const other = owner.get(page);
				if (other !== undefined) {
					throw itemError(node, `Page ${page + 1} is in part ${other} and in part ${i + 1}`, {
						itemIndex,
						description: 'A page belongs to one part only: give it to one of them.',
					});
				}
				owner.set(page, i + 1);
			}
			return { category: readCategory(ctx, entry.category, `of part ${i + 1}`, itemIndex), pages };
		});
		return body;
	}
	const images = (ctx.getNodeParameter('cropTasks', itemIndex, {}) as { image?: IDataObject[] }).image ?? [];
	if (images.length === 0) {
		throw itemError(node, 'No image is given', {
			itemIndex,
			description: 'Add an image under Images: its task ID (from the file’s child_files) and its new category.',
		});
	}
	const seen = new Set<string>();
	body.crop_tasks = images.map((entry, i) => {
		const childId = textOf(ctx, entry.taskId, `The task ID of image ${i + 1}`, itemIndex);
		if (!/^[0-9A-Za-z_-]+$/.test(childId)) {
			throw itemError(node, childId === '' ? `The task ID of image ${i + 1} is empty` : `The task ID of image ${i + 1} is not an ID: “${childId}”`, {
				itemIndex,
				description: 'Give the cropped image’s own task ID, as Fetch Batch lists it in the file’s child_files.',
			});
		}
		if (seen.has(childId)) {
			throw itemError(node, `Image ${childId} is listed twice`, { itemIndex, description: 'List every image once, with its new category.' });
		}
		seen.add(childId);
		return { crop_child_task_id: childId, category: readCategory(ctx, entry.category, `of image ${childId}`, itemIndex) };
	});
	return body;
}

const children = (file: DocflowFile) => (Array.isArray(file.child_files) ? file.child_files.filter((c) => c && typeof c === 'object') : []);
const pageNumbers = (file: DocflowFile) =>
	(Array.isArray(file.pages) ? file.pages : []).map((p) => (typeof p === 'number' ? p : Number((p as { page?: unknown })?.page)));

/** What the task is, against what the chosen Task Type says it is. */
function kindOf(file: DocflowFile): Mode | 'split part' | 'cropped image' {
	if (file.task_type === 0) return 'split part';
	if (file.task_type === 3) return 'cropped image';
	if (file.task_type !== 2) return 'regular';
	return children(file).some((c) => c.task_type === 3) ? 'crop' : 'split';
}

const KIND_WORDS: Record<Mode, string> = { regular: 'a regular task', split: 'a split parent', crop: 'a crop parent' };
const TYPE_NAMES: Record<Mode, string> = { regular: 'Regular', split: 'Split Parent', crop: 'Crop Parent' };

/** Checks the task and the categories against DocFlow; nothing is written here. */
async function checkTask(
	ctx: IExecuteFunctions,
	amend: PreparedAmend,
	found: FoundFile,
	categories: string[],
	itemIndex: number,
): Promise<void> {
	const node = ctx.getNode();
	const { file } = found;
	const { taskId, mode, body } = amend;
	const kind = kindOf(file);
	if (kind === 'split part' || kind === 'cropped image') {
		const parent = file.parent_task_id && file.parent_task_id !== '0' ? file.parent_task_id : found.parent?.task_id;
		throw itemError(node, `Task ${taskId} is a ${kind} of ${parent ? `task ${parent}` : 'a parent task'}; DocFlow amends the categories of parts through their parent`, {
			itemIndex,
			description: `Run Amend Category on the parent${parent ? ` (Task ${parent})` : ''} with Task Type “${kind === 'split part' ? 'Split Parent' : 'Crop Parent'}”, listing ${kind === 'split part' ? 'every part' : 'this image'} with its category.`,
		});
	}
	// A parent whose parts are not there yet cannot tell split from crop: DocFlow decides.
	const knownKind = !(file.task_type === 2 && children(file).length === 0);
	if (knownKind && kind !== mode) {
		throw itemError(node, `Task ${taskId} is ${KIND_WORDS[kind as Mode]}, but Task Type is “${TYPE_NAMES[mode]}”`, {
			itemIndex,
			description: `Set Task Type to “${TYPE_NAMES[kind as Mode]}”${kind === 'regular' ? ' and choose the new category' : kind === 'split' ? ' and list every part with its pages and category' : ' and list the images with their categories'}.`,
		});
	}
	if (!isFinalStatus(file.recognition_status)) {
		assertFinished(ctx, file, [], { label: 'Task', operation: 'Amend Category' }, itemIndex);
	}
	const asked = [body.category, ...(body.split_tasks ?? []).map((p) => p.category), ...(body.crop_tasks ?? []).map((c) => c.category)]
		.filter((c): c is string => c !== undefined);
	const unknown = [...new Set(asked)].filter((c) => !categories.includes(c));
	if (unknown.length > 0) {
		throw itemError(
			node,
			`The workspace has no enabled category ${unknown.map((c) => `“${c}”`).join(', ')}; its categories are ${categories.length > 0 ? categories.map((c) => `“${c}”`).join(', ') : 'none'}`,
			{
				itemIndex,
				description: 'Choose the category from the list. Names must match exactly (case included); a disabled or draft category cannot be given to a file.',
			},
		);
	}
	if (mode === 'split' && typeof file.total_page_num === 'number') {
		const pages = file.total_page_num;
		const beyond = (body.split_tasks ?? []).flatMap((p) => p.pages).filter((page) => page >= pages);
		if (beyond.length > 0) {
			throw itemError(node, `Task ${taskId} has ${pages} page${pages === 1 ? '' : 's'}; page ${beyond[0] + 1} does not exist`, {
				itemIndex,
				description: `Give pages from 1 to ${pages}.`,
			});
		}
	}
	if (mode === 'crop' && knownKind) {
		const images = children(file).filter((c) => c.task_type === 3);
		const missing = (body.crop_tasks ?? []).map((c) => c.crop_child_task_id).filter((id) => !images.some((c) => c.task_id === id));
		if (missing.length > 0) {
			throw itemError(node, `Task ${taskId} has no cropped image ${missing.join(', ')}; its images are ${partsOf(file, 'task_id')}`, {
				itemIndex,
				description: 'Give the images’ own task IDs, as the file’s child_files lists them.',
			});
		}
	}
}

/** How the task looks now, for the lost-answer check: its category and its parts'. */
function snapshot(file: DocflowFile): string {
	return JSON.stringify({
		category: file.category,
		parts: children(file).map((c) => [c.task_id, c.category, pageNumbers(c)]),
	});
}

/** Whether DocFlow shows what the body asked for. */
function showsAmendment(file: DocflowFile, body: AmendCategoryBody): boolean {
	if (body.category !== undefined) return file.category === body.category;
	if (body.split_tasks) {
		const parts = children(file);
		return (
			parts.length === body.split_tasks.length &&
			body.split_tasks.every((asked, i) => parts[i]?.category === asked.category && JSON.stringify(pageNumbers(parts[i])) === JSON.stringify(asked.pages))
		);
	}
	const parts = children(file);
	return (body.crop_tasks ?? []).every((asked) => parts.find((c) => c.task_id === asked.crop_child_task_id)?.category === asked.category);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const trackedByItem = new Map<number, TrackedFile[]>();
	// One read of a workspace's categories serves every item of the run.
	const categoriesOf = new Map<string, Promise<string[]>>();
	return await runCheckedWrites(this, {
		prepare: async (itemIndex): Promise<PreparedAmend> => {
			const workspaceId = readId(this, 'workspace', itemIndex, 'Workspace', { locator: true });
			const taskId = readId(this, 'task', itemIndex, 'Task ID', { locator: true });
			const mode = this.getNodeParameter('taskType', itemIndex, 'regular') as Mode;
			return {
				workspaceId,
				taskId,
				mode,
				body: readBody(this, itemIndex, mode, workspaceId, taskId),
				options: this.getNodeParameter('options', itemIndex, {}) as IDataObject,
			};
		},
		known: ({ workspaceId, taskId }) => ({ workspace_id: workspaceId, task_id: taskId }),
		check: async (amend, itemIndex) => {
			const { workspaceId, taskId, options } = amend;
			const retry = retrySettingsFrom(options);
			const found = await findFile(this, workspaceId, { task_id: taskId }, { itemIndex, retry });
			if (!found) throw notFoundError(this, { label: 'Task', id: taskId, workspaceId }, itemIndex);
			if (!categoriesOf.has(workspaceId)) {
				categoriesOf.set(
					workspaceId,
					listAllCategories(this, { workspaceId, enabled: '1' }, { itemIndex, retry }).then((list) =>
						list.map((c) => String(c.name)),
					),
				);
			}
			const categories = await categoriesOf.get(workspaceId)!.catch((error) => {
				categoriesOf.delete(workspaceId);
				throw error;
			});
			await checkTask(this, amend, found, categories, itemIndex);
			return { ...amend, file: found.file };
		},
		write: async ({ workspaceId, taskId, body, options, file }, itemIndex) => {
			const retry = retrySettingsFrom(options);
			const before = snapshot(file);
			await amendCategory(this, body, { itemIndex, retry }, async (): Promise<Verification> => {
				// The answer got lost. The task was finished before: DocFlow extracting it again, or
				// showing the new categories, means the change arrived; showing it exactly as
				// before, finished, means it did not (sent again). Anything else (other categories,
				// other parts) cannot be told apart from someone else's change.
				const now = await findFile(this, workspaceId, { task_id: taskId }, { itemIndex, retry });
				if (now && (!isFinalStatus(now.file.recognition_status) || showsAmendment(now.file, body))) return 'received';
				if (now && snapshot(now.file) === before) return 'resend';
				throw itemError(this.getNode(), `The category change of task ${taskId} may have been applied: DocFlow’s answer got lost`, {
					itemIndex,
					description: `DocFlow shows the task ${now ? `${recognitionStatus(now.file.recognition_status)?.name ?? 'changed'}, with category “${now.file.category}”` : 'nowhere'}, which does not tell whether the change arrived, so the node did not send it again (DocFlow would extract the file once more). Check task ${taskId} with Fetch Batch.`,
				});
			});
			trackedByItem.set(itemIndex, [
				{
					itemIndex,
					workspaceId,
					batchNumber: String(file.batch_number ?? ''),
					fileId: String(file.id),
					taskId,
					name: String(file.name),
					// DocFlow may show the old, finished state for a moment: wait until it is seen running again.
					retriedAt: Date.now(),
				},
			]);
			const receipt: IDataObject = {
				workspace_id: workspaceId,
				task_id: taskId,
				file_id: file.id,
				batch_number: file.batch_number ?? null,
				name: file.name,
				previous_category: file.category,
			};
			if (body.category !== undefined) receipt.category = body.category;
			if (body.split_tasks) receipt.split_tasks = body.split_tasks.map((p) => ({ category: p.category, pages: p.pages.map((page) => page + 1) }));
			if (body.crop_tasks) receipt.crop_tasks = body.crop_tasks.map((c) => ({ task_id: c.crop_child_task_id, category: c.category }));
			receipt.amended = true;
			return [{ json: receipt, pairedItem: { item: itemIndex } }];
		},
		finish: async (outputByItem) => {
			const wait = waitRequestFrom(this);
			if (wait) await replaceReceiptsWithResults(this, trackedByItem, outputByItem, wait);
		},
	});
}
