/**
 * Stopping an execution (n8n-core's own cancel, as the editor's Stop button) stops the node
 * within a second wherever it is: waiting between polls, waiting out a Retry-After, or with a
 * request in flight. Nothing reaches DocFlow after the stop, and the stopped request is neither
 * retried nor checked with a look-up.
 */
import { runDocflow } from '../../../harness/engine.ts';
import type { RunResult } from '../../../harness/engine.ts';
import { credentialFor, sample, useEmulator, workspace } from '../../../harness/fixtures.ts';

const env = useEmulator();

const uploads = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/upload'));
const fetches = () => env.emulator.requests.filter((r) => r.path.endsWith('/file/fetch'));

const doc = (name: string) => ({
	binary: { data: { data: Buffer.concat([sample('simple.pdf'), Buffer.from(name)]), fileName: name, mimeType: 'application/pdf' } },
});

const upload = (options: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	resource: 'file',
	operation: 'upload',
	workspace: workspace(),
	options,
	...extra,
});

/**
 * The run stopped within a second of the cancel, and DocFlow heard nothing after it, also not
 * a moment later (a wait or request the node left running would show up then).
 */
async function expectStoppedPromptly(result: RunResult): Promise<void> {
	expect(result.cancelledAt).toBeDefined();
	const cancelledAt = result.cancelledAt!;
	expect(result.endedAt - cancelledAt).toBeLessThan(1000);
	await new Promise((resolve) => setTimeout(resolve, 300));
	// receivedAt: when the emulator got the request's headers.
	const late = env.emulator.requests.filter((r) => r.receivedAt > cancelledAt + 5);
	expect(late.map((r) => `${r.method} ${r.path} at cancel + ${r.receivedAt - cancelledAt} ms`)).toEqual([]);
	// A stopped execution is not an item's failure (nor a network one): no output, no error items.
	expect(result.run.status).toBe('canceled');
	expect(result.error?.message).toBe('The execution was stopped while DocFlow was working');
	expect(result.items).toEqual([]);
	expect(result.errorItems).toEqual([]);
}

describe('Stopping the execution stops the node within a second', () => {
	test('while Wait for Completion waits between polls', async () => {
		env.emulator.setStepMs(3_600_000);
		const result = await runDocflow({
			// Timeout 0.1 min: a node that ignored the stop would poll at 5 s and give up at 6 s.
			parameters: upload({ pollIntervalSeconds: 5, timeoutMinutes: 0.1 }, { waitForCompletion: true }),
			credentials: credentialFor(env.emulator),
			items: [doc('wait.pdf')],
			cancelAfterMs: 1500,
		});
		await expectStoppedPromptly(result);
		expect(uploads()).toHaveLength(1);
		expect(fetches()).toHaveLength(0);
	});

	test('while waiting out a 429 with Retry-After: 30', async () => {
		env.emulator.injectFault({ path: 'file/upload', kind: 'status', status: 429, retryAfter: 30 });
		const result = await runDocflow({
			parameters: upload({ maxRetrySeconds: 60 }),
			credentials: credentialFor(env.emulator),
			items: [doc('limited.pdf')],
			cancelAfterMs: 1000,
		});
		await expectStoppedPromptly(result);
		expect(uploads().map((r) => r.status)).toEqual([429]);
		expect(env.emulator.tasks()).toEqual([]);
	});

	test('while an upload request is in flight: the request is aborted, not retried and not looked up', async () => {
		// DocFlow takes the file and answers after 5 s.
		env.emulator.injectFault({ path: 'file/upload', kind: 'delay', ms: 5000 });
		const result = await runDocflow({
			parameters: upload({ maxRetrySeconds: 60 }),
			credentials: credentialFor(env.emulator),
			items: [doc('in-flight.pdf')],
			cancelAfterMs: 1000,
		});
		await expectStoppedPromptly(result);
		expect(uploads()).toHaveLength(1);
		// The aborted request's answer never came back (status 0 is recorded for an unanswered request).
		expect(uploads()[0].status).toBe(0);
		expect(fetches()).toHaveLength(0);
	});
});
