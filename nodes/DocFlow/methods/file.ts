import { NodeOperationError } from 'n8n-workflow';
import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
	INodePropertyOptions,
} from 'n8n-workflow';

import { recognitionStatus } from '../transport/api.types';
import type { DocflowFile } from '../transport/api.types';
import { fetchFiles } from '../transport/endpoints/file';
import { loadOptions as categoryOptions } from './category';

/** Files per page of the File and Task pickers: one file/fetch page each. */
const PAGE_SIZE = 50;

/** The workspace chosen above the picker; files belong to one. */
function chosenWorkspace(ctx: ILoadOptionsFunctions): string {
	const workspaceId = String(ctx.getCurrentNodeParameter('workspace', { extractValue: true }) ?? '').trim();
	if (workspaceId === '' || workspaceId.startsWith('=')) {
		throw new NodeOperationError(ctx.getNode(), 'Choose a workspace first to list its files', {
			description: 'Files belong to a workspace. Pick the Workspace above, or switch this parameter to “By ID”.',
		});
	}
	return workspaceId;
}

function describe(file: DocflowFile): string {
	const status = recognitionStatus(file.recognition_status)?.word ?? 'unknown';
	return [file.category, status, file.batch_number ? `batch ${file.batch_number}` : ''].filter(Boolean).join(' · ');
}

/**
 * One page of the workspace's files, in file/fetch's order, each followed by its split parts
 * and cropped images. `value` picks what the entry stands for: the task ID or the file ID.
 */
async function searchWorkspaceFiles(
	ctx: ILoadOptionsFunctions,
	value: 'task_id' | 'id',
	filter: string | undefined,
	paginationToken: string | undefined,
): Promise<INodeListSearchResult> {
	const workspaceId = chosenWorkspace(ctx);
	const page = paginationToken ? Number(paginationToken) : 1;
	// The files up to this page in one request (file/fetch takes up to 1000 a page); this page's are the last ones.
	const upTo = await fetchFiles(ctx, { workspace_id: workspaceId }, { limit: page * PAGE_SIZE, retry: { maxAttempts: 2, timeoutMs: 20_000 } });
	const files = upTo.slice((page - 1) * PAGE_SIZE);
	const needle = filter?.trim().toLowerCase();
	const entries: INodeListSearchItems[] = [];
	const add = (file: DocflowFile, prefix: string) => {
		const id = String(file[value] ?? '');
		if (id === '') return;
		const name = `${prefix}${file.name ?? id}`;
		if (needle && !name.toLowerCase().includes(needle) && !id.includes(needle)) return;
		entries.push({ name, value: id, description: describe(file) });
	};
	for (const file of files) {
		add(file, '');
		for (const child of Array.isArray(file.child_files) ? file.child_files : []) {
			if (child && typeof child === 'object') add(child, `${file.name} › `);
		}
	}
	return {
		results: entries,
		// A full page may have more after it; a short one is the end.
		paginationToken: files.length === PAGE_SIZE ? String(page + 1) : undefined,
	};
}

/** Task picker (Amend Category, Extract Fields): the workspace's files by name, valued by task ID. */
async function searchTasks(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchWorkspaceFiles(this, 'task_id', filter, paginationToken);
}

/** File picker (Update Result): the workspace's files by name, valued by file ID. */
async function searchFiles(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchWorkspaceFiles(this, 'id', filter, paginationToken);
}

/**
 * The categories a file can be given (Amend Category): the Upload picker's list of the
 * workspace's enabled categories, by name, without its “Let DocFlow Classify”, which names none.
 */
async function getAssignableCategories(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options = await categoryOptions.getCategories.call(this);
	return options.filter((option) => option.value !== '');
}

/** The pickers of the File resource. */
export const listSearch = { searchFiles, searchTasks };
export const loadOptions = { getAssignableCategories };
