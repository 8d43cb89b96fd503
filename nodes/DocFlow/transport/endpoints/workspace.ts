import type { WorkspaceCreateResult, WorkspaceDetails, WorkspaceListResult } from '../api.types';
import { docflowRequest } from '../request';
import type { DocflowContext, RetrySettings } from '../request';
import { sendVerified } from '../sendVerified';
import type { VerifiedSend } from '../sendVerified';

/** The typed calls of DocFlow's workspace/… endpoints. */

/** One page of an enterprise's workspaces. */
export async function listWorkspaces(
	ctx: DocflowContext,
	query: { enterpriseId: string; page: number; pageSize: number; itemIndex?: number },
	retry?: Partial<RetrySettings>,
): Promise<Partial<WorkspaceListResult> | undefined> {
	return (await docflowRequest.call(ctx, {
		method: 'GET',
		endpoint: 'workspace/list',
		qs: { enterprise_id: query.enterpriseId, page: query.page, page_size: query.pageSize },
		itemIndex: query.itemIndex,
		resend: 'always',
		retry,
	})) as Partial<WorkspaceListResult> | undefined;
}

/** Workspaces per page when the node reads a whole list (the spec sets no maximum; 20 is its default). */
const LIST_PAGE_SIZE = 100;

/**
 * workspace/list for one enterprise, following page/page_size to the end (or the limit).
 * The end is where DocFlow's `total` says; without a total, a short or empty page. A page that
 * brings nothing new ends it too, so a server that ignores `page` cannot keep the node looping.
 */
export async function listAllWorkspaces(
	ctx: DocflowContext,
	enterpriseId: string,
	options: { itemIndex?: number; limit?: number; retry?: Partial<RetrySettings> } = {},
): Promise<WorkspaceDetails[]> {
	const pageSize = Math.min(options.limit ?? LIST_PAGE_SIZE, LIST_PAGE_SIZE);
	const workspaces: WorkspaceDetails[] = [];
	const seen = new Set<string>();
	for (let page = 1; ; page++) {
		const result = await listWorkspaces(
			ctx,
			{ enterpriseId, page, pageSize, itemIndex: options.itemIndex },
			options.retry,
		);
		const onPage = (Array.isArray(result?.workspaces) ? result.workspaces : []).filter(
			(w): w is WorkspaceDetails => typeof w === 'object' && w !== null,
		);
		let added = 0;
		for (const workspace of onPage) {
			const id = String(workspace.workspace_id ?? '');
			if (id !== '' && seen.has(id)) continue;
			seen.add(id);
			workspaces.push(workspace);
			added++;
		}
		const limitReached = options.limit !== undefined && workspaces.length >= options.limit;
		const lastPage =
			typeof result?.total === 'number' ? workspaces.length >= result.total : onPage.length < pageSize;
		if (limitReached || lastPage || added === 0) break;
	}
	return options.limit !== undefined ? workspaces.slice(0, options.limit) : workspaces;
}

/** workspace/get: one workspace, as DocFlow knows it (40004 when it does not). */
export async function getWorkspace(
	ctx: DocflowContext,
	workspaceId: string,
	options: { itemIndex?: number; retry?: Partial<RetrySettings> } = {},
): Promise<WorkspaceDetails | undefined> {
	return (await docflowRequest.call(ctx, {
		method: 'GET',
		endpoint: 'workspace/get',
		qs: { workspace_id: workspaceId },
		itemIndex: options.itemIndex,
		resend: 'always',
		retry: options.retry,
	})) as WorkspaceDetails | undefined;
}

/** The body of workspace/create (spec: name, enterprise_id and auth_scope required). */
export interface WorkspaceCreateBody {
	name: string;
	description?: string;
	/** An integer in the JSON (the spec's int64): a number, or raw JSON digits when it is above 2^53. */
	enterprise_id: unknown;
	auth_scope: number;
}

/**
 * workspace/create, never carried out twice (see sendVerified): after a lost answer `verify`
 * looks for the workspace before anything is sent again. Resolves with DocFlow's answer, or
 * undefined when `verify` found the workspace DocFlow created.
 */
export async function createWorkspace(
	ctx: DocflowContext,
	body: WorkspaceCreateBody,
	options: { itemIndex: number; retry?: Partial<RetrySettings> },
	check: Omit<VerifiedSend, 'request'>,
): Promise<Partial<WorkspaceCreateResult> | undefined> {
	return await sendVerified<Partial<WorkspaceCreateResult>>(ctx, {
		...check,
		request: () => ({
			method: 'POST',
			endpoint: 'workspace/create',
			json: body,
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
	});
}

/** The body of workspace/update (spec: workspace_id, name and auth_scope required). */
export interface WorkspaceUpdateBody {
	workspace_id: string;
	name: string;
	auth_scope: number;
	description?: string;
	callback_url?: string;
	callback_retry_time?: number;
}

/**
 * workspace/update. It sets values (the whole body every time), so sending it again after a
 * lost answer changes nothing more: resent like a read.
 */
export async function updateWorkspace(
	ctx: DocflowContext,
	body: WorkspaceUpdateBody,
	options: { itemIndex: number; retry?: Partial<RetrySettings> },
): Promise<void> {
	await docflowRequest.call(ctx, {
		method: 'POST',
		endpoint: 'workspace/update',
		json: body,
		itemIndex: options.itemIndex,
		resend: 'always',
		retry: options.retry,
	});
}

/**
 * workspace/delete for the given workspaces. Checked after a lost answer (see sendVerified):
 * a second delete of a workspace that is already gone would fail with “not found”.
 */
export async function deleteWorkspaces(
	ctx: DocflowContext,
	workspaceIds: string[],
	options: { itemIndex: number; retry?: Partial<RetrySettings> },
	verify: VerifiedSend['verify'],
): Promise<void> {
	await sendVerified(ctx, {
		request: () => ({
			method: 'POST',
			endpoint: 'workspace/delete',
			json: { workspace_ids: workspaceIds },
			itemIndex: options.itemIndex,
			retry: options.retry,
		}),
		verify,
	});
}
