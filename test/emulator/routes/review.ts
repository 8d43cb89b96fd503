// review/…
import type { RouteEnv, Routes } from './env.ts';

export function reviewRoutes(_env: RouteEnv): Routes {
	return {};
}
