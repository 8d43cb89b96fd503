// category/sample/…
import type { RouteEnv, Routes } from './env.ts';

export function categorySampleRoutes(_env: RouteEnv): Routes {
	return {};
}
