// file/fetch: the list of files, filtered; update times (start_time/end_time) in DocFlow's own clock.
import { boolParam, enumParam, intParam, timeParam } from '../params.ts';
import type { Ctx } from '../params.ts';
import type { TaskRec } from '../state.ts';
import type { RouteEnv, Routes } from './env.ts';

export function fileFetchRoutes({ store, requireWorkspace, baseUrl: emulatorUrl, maxPageSize: pageCap }: RouteEnv): Routes {
	function handleFetch(ctx: Ctx): Record<string, unknown> {
		const q = ctx.query;
		// A test's hook may change tasks right before this answer (a file finishing mid-paging).
		if (store.beforeFetch) {
			store.beforeFetch({ ...q });
			store.materialize();
		}
		const ws = requireWorkspace(ctx, q.workspace_id);
		const page = intParam(q, 'page', 1, 1, 1_000_000_000);
		// A server may hand out fewer files per page than asked for (maxPageSize); page_size says how many it did.
		const pageSize = Math.min(intParam(q, 'page_size', 1000, 1, 1000), pageCap() ?? 1000);
		const rs = enumParam(q, 'recognition_status', ['0', '1', '2', '3', '4', '5', '6', '7', '10', '20']);
		const vs = enumParam(q, 'verification_status', ['0', '2', '3', '4', '5']);
		const start = timeParam(q, 'start_time');
		const end = timeParam(q, 'end_time');
		const withDocument = !!boolParam(q, 'with_document');
		const withUrl = !!boolParam(q, 'with_task_detail_url');
		const render = { withDocument, withTaskDetailUrl: withUrl, baseUrl: emulatorUrl() };

		const matches = (t: TaskRec) => {
			if (q.batch_number && t.batchNumber !== q.batch_number) return false;
			if (q.file_id && t.fileId !== q.file_id) return false;
			if (q.task_id && t.taskId !== q.task_id) return false;
			if (q.category && store.category(t) !== q.category) return false;
			if (rs !== undefined && store.status(t) !== Number(rs)) return false;
			if (vs !== undefined && Number(vs) !== (t.verificationStatus ?? 0)) return false;
			// update time and the start/end filters are both in DocFlow's clock (setClockSkew)
			const ut = store.docflowUpdateTime(t);
			if (start !== undefined && ut < start) return false;
			if (end !== undefined && ut > end) return false;
			return true;
		};
		const inWs = store.all().filter((t) => t.workspaceId === ws.workspace_id);
		let list: TaskRec[];
		const child = inWs.find((t) => t.parentTaskId && ((q.task_id && t.taskId === q.task_id) || (q.file_id && t.fileId === q.file_id)));
		if (child) list = [child].filter(matches);
		else list = inWs.filter((t) => !t.parentTaskId).filter(matches);
		// The spec promises no order; 'updated-desc' lets tests see pages shift as files change mid-paging.
		if (store.fetchOrder === 'updated-desc') list.sort((a, b) => store.updateTime(b) - store.updateTime(a) || b.seq - a.seq);
		return {
			total: list.length,
			page,
			page_size: pageSize,
			files: list.slice((page - 1) * pageSize, page * pageSize).map((t) => store.render(t, render)),
		};
	}

	return {
		'file/fetch': { method: 'GET', run: handleFetch },
	};
}
