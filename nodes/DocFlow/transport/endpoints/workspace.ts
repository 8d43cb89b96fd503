import type { WorkspaceCreateResult, WorkspaceDetails, WorkspaceListResult } from '../api.types';
import { readAllPages } from '../paging';
import type { DocflowContext } from '../request';
import { postOnce, resendable } from '../requestKinds';
import type { CallOptions } from '../requestKinds';
import type { VerifiedSend } from '../sendVerified';

/** The typed calls of DocFlow's workspace/… endpoints. */

/** One page of an enterprise's workspaces. */
export async function listWorkspaces(
	ctx: DocflowContext,
	query: { enterpriseId: string; page: number; pageSize: number },
	options: CallOptions = {},
): Promise<Partial<WorkspaceListResult> | undefined> {
	const qs = { enterprise_id: query.enterpriseId, page: query.page, page_size: query.pageSize };
	return await resendable(ctx, 'GET', 'workspace/list', { qs }, options);
}

/** Workspaces per page when the node reads a whole list (the spec sets no maximum; 20 is its default). */
const LIST_PAGE_SIZE = 100;

/**
 * workspace/list for one enterprise, following page/page_size to the end (or the limit). A
 * workspace a page repeats is dropped, and a page that brings nothing new ends the list.
 */
export async function listAllWorkspaces(
	ctx: DocflowContext,
	enterpriseId: string,
	options: CallOptions & { limit?: number } = {},
): Promise<WorkspaceDetails[]> {
	return await readAllPages<WorkspaceDetails>(
		async (page, pageSize) => {
			const result = await listWorkspaces(ctx, { enterpriseId, page, pageSize }, options);
			return { items: result?.workspaces, total: result?.total };
		},
		{
			limit: options.limit,
			maxPageSize: LIST_PAGE_SIZE,
			idOf: (workspace) => String(workspace.workspace_id ?? ''),
		},
	);
}

/** workspace/get: one workspace, as DocFlow knows it (40004 when it does not). */
export async function getWorkspace(
	ctx: DocflowContext,
	workspaceId: string,
	options: CallOptions = {},
): Promise<WorkspaceDetails | undefined> {
	return await resendable(ctx, 'GET', 'workspace/get', { qs: { workspace_id: workspaceId } }, options);
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
 * workspace/create, never carried out twice: after a lost answer `verify` looks for the
 * workspace before anything is sent again. Resolves with DocFlow's answer, or undefined when
 * `verify` found the workspace DocFlow created.
 */
export async function createWorkspace(
	ctx: DocflowContext,
	body: WorkspaceCreateBody,
	options: CallOptions & { itemIndex: number },
	verify: VerifiedSend['verify'],
): Promise<Partial<WorkspaceCreateResult> | undefined> {
	return await postOnce(ctx, 'workspace/create', body, options, verify);
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
	options: CallOptions & { itemIndex: number },
): Promise<void> {
	await resendable(ctx, 'POST', 'workspace/update', { json: body }, options);
}

/**
 * workspace/delete for the given workspaces, checked after a lost answer: a second delete of a
 * workspace that is already gone would fail with “not found”.
 */
export async function deleteWorkspaces(
	ctx: DocflowContext,
	workspaceIds: string[],
	options: CallOptions & { itemIndex: number },
	verify: VerifiedSend['verify'],
): Promise<void> {
	await postOnce(ctx, 'workspace/delete', { workspace_ids: workspaceIds }, options, verify);
}
