// What every route module gets from the running emulator.
import type { TaskStore } from '../state.ts';
import type { EmulatorWorkspace } from '../types.ts';
import type { Ctx, RawReply } from '../params.ts';

export type Handler = (
	ctx: Ctx,
) => Record<string, unknown> | RawReply | undefined | Promise<Record<string, unknown> | RawReply | undefined>;
export type Routes = Record<string, { method: 'GET' | 'POST'; run: Handler }>;

export interface RouteEnv {
	store: TaskStore;
	workspaces: EmulatorWorkspace[];
	/** The workspace a request names, if the caller's enterprise may see it (else 40004). */
	requireWorkspace: (ctx: Ctx, id: unknown) => EmulatorWorkspace;
	/** The emulator's own address (for task detail URLs). */
	baseUrl: () => string;
	/** At most this many files per file/fetch page, whatever page_size asks (undefined: 1000). */
	maxPageSize: () => number | undefined;
	/** Runs `hook` on emulator.reset() (after tasks and workspaces are back to their start). */
	onReset: (hook: () => void) => void;
	/** Waits `ms` of real time (a route that answers late); never resolves once the emulator is closed. */
	sleep: (ms: number) => Promise<void>;
}
