import type { CategoryListResult } from '../api.types';
import { docflowRequest } from '../request';
import type { DocflowContext, RetrySettings } from '../request';

/** The typed calls of DocFlow's category/… endpoints. */

/** One page of a workspace's file categories: enabled ('1', DocFlow's default), disabled ('0'), draft ('2') or all. */
export async function listCategories(
	ctx: DocflowContext,
	query: { workspaceId: string; page: number; pageSize: number; enabled?: 'all' | '0' | '1' | '2' },
	retry?: Partial<RetrySettings>,
): Promise<Partial<CategoryListResult> | undefined> {
	return (await docflowRequest.call(ctx, {
		method: 'GET',
		endpoint: 'category/list',
		qs: { workspace_id: query.workspaceId, page: query.page, page_size: query.pageSize, enabled: query.enabled },
		resend: 'always',
		retry,
	})) as Partial<CategoryListResult> | undefined;
}
