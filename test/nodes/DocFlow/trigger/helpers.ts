/**
 * Shared pieces of the trigger tests. A trigger's windows are minutes long; instead of waiting,
 * the tests move the machine's clock: Date is faked (both n8n's code and the emulator read it),
 * timers are not, so HTTP, retries and n8n's own scheduling run in real time. DocFlow's clock
 * can be set apart from n8n's with emulator.setClockSkew.
 */
import type { DocflowEmulator } from '../../../emulator/index.ts';
import { WORKSPACE_ID, workspace } from '../../../harness/fixtures.ts';

/** A whole second, so the windows' second boundaries are easy to read. */
export const START = Date.UTC(2026, 0, 5, 9, 0, 0);

export const SETTLE_MS = 60_000;
export const OVERLAP_MS = 60_000;

/** Fakes Date only, frozen at START (beforeEach), back to the real clock after each test. */
export function useMachineClock(): { advance: (ms: number) => void; set: (ms: number) => void; now: () => number } {
	beforeEach(() => {
		jest.useFakeTimers({
			doNotFake: [
				'hrtime',
				'nextTick',
				'performance',
				'queueMicrotask',
				'setImmediate',
				'clearImmediate',
				'setInterval',
				'clearInterval',
				'setTimeout',
				'clearTimeout',
			],
			now: START,
		});
	});
	afterEach(() => {
		jest.useRealTimers();
	});
	return {
		advance: (ms: number) => jest.setSystemTime(Date.now() + ms),
		set: (ms: number) => jest.setSystemTime(ms),
		now: () => Date.now(),
	};
}

export function triggerParameters(extra: Record<string, unknown> = {}): Record<string, unknown> {
	return { events: ['processed'], workspace: workspace(), ...extra };
}

/** RFC 3339 in whole seconds, as the trigger sends start_time/end_time. */
export function iso(ms: number): string {
	return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function fetchRequests(emulator: DocflowEmulator) {
	return emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));
}

export { WORKSPACE_ID };
