// category/…
import { enumParam, intParam } from '../params.ts';
import type { Ctx } from '../params.ts';
import type { RouteEnv, Routes } from './env.ts';

export function categoryRoutes({ requireWorkspace }: RouteEnv): Routes {
	function handleCategoryList(ctx: Ctx): Record<string, unknown> {
		const ws = requireWorkspace(ctx, ctx.query.workspace_id);
		const page = intParam(ctx.query, 'page', 1, 1, 1_000_000);
		const pageSize = intParam(ctx.query, 'page_size', 20, 1, 100);
		const enabled = enumParam(ctx.query, 'enabled', ['all', '1', '0', '2']) ?? '1';
		const all = ws.categories.filter((c) => enabled === 'all' || c.enabled === enabled);
		return {
			total: all.length,
			page,
			page_size: pageSize,
			categories: all.slice((page - 1) * pageSize, page * pageSize).map((c) => ({
				id: c.id,
				name: c.name,
				description: c.description ?? '',
				category_prompt: c.description ?? '',
				extract_model: c.extract_model ?? 'Acgpt',
				enabled: Number(c.enabled),
			})),
		};
	}

	return {
		'category/list': { method: 'GET', run: handleCategoryList },
	};
}
