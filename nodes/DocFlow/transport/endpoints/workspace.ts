import type { WorkspaceListResult } from '../api.types';
import { docflowRequest } from '../request';
import type { DocflowContext, RetrySettings } from '../request';

/** The typed calls of DocFlow's workspace/… endpoints. */

/** One page of an enterprise's workspaces. */
export async function listWorkspaces(
	ctx: DocflowContext,
	query: { enterpriseId: string; page: number; pageSize: number },
	retry?: Partial<RetrySettings>,
): Promise<Partial<WorkspaceListResult> | undefined> {
	return (await docflowRequest.call(ctx, {
		method: 'GET',
		endpoint: 'workspace/list',
		qs: { enterprise_id: query.enterpriseId, page: query.page, page_size: query.pageSize },
		resend: 'always',
		retry,
	})) as Partial<WorkspaceListResult> | undefined;
}
