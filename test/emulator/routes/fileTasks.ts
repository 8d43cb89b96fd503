// What is done to files after upload: file/retry (and update, amend_category, extract_fields, delete).
import { BizError, MSG, bad, parserParamsFromJson } from '../params.ts';
import type { Ctx } from '../params.ts';
import { FINAL_STATUSES } from '../state.ts';
import type { RouteEnv, Routes } from './env.ts';

export function fileTaskRoutes({ store, requireWorkspace }: RouteEnv): Routes {
	function handleRetry(ctx: Ctx): undefined {
		if (ctx.jsonError) throw bad(`invalid JSON body: ${ctx.jsonError}`);
		const body = ctx.json;
		if (!body || typeof body !== 'object' || Array.isArray(body)) throw bad('workspace_id is required');
		const b = body as Record<string, unknown>;
		const ws = requireWorkspace(ctx, b.workspace_id);
		if (b.task_id === undefined || b.task_id === null || b.task_id === '') throw bad('task_id is required');
		const pp = parserParamsFromJson(b.parser_params);
		const t = store.tasks.get(String(b.task_id));
		if (!t || t.workspaceId !== ws.workspace_id) throw new BizError(40004, MSG.TASK_NOT_FOUND);
		if (t.parentTaskId || t.taskType === 0 || t.taskType === 3) throw new BizError(40005, MSG.CHILD_RETRY);
		if (!(FINAL_STATUSES as number[]).includes(store.status(t))) throw new BizError(40006, MSG.TASK_PROCESSING);
		store.restart(t, pp);
		return undefined;
	}

	return {
		'file/retry': { method: 'POST', run: handleRetry },
	};
}
