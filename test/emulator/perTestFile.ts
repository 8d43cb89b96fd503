// The emulator of one test file of this folder: started before the file's first test, reset
// before each test, closed (with the client's connection pool) after the last.
import { startDocflowEmulator } from './index.ts';
import type { DocflowEmulator, EmulatorOptions } from './index.ts';
import { agent, call } from './helpers.ts';

/**
 * Registers the hooks; `use` receives the started emulator. `stepMs`: the virtual processing
 * time per step set after each reset. Returns `api(method, endpoint, options)`, a call to it.
 */
export function emulatorPerTestFile(
	use: (emulator: DocflowEmulator) => void,
	options: EmulatorOptions & { stepMs?: number } = {},
): (method: string, endpoint: string, o?: Parameters<typeof call>[3]) => ReturnType<typeof call> {
	const { stepMs, ...start } = options;
	let emulator: DocflowEmulator | undefined;
	beforeAll(async () => {
		emulator = await startDocflowEmulator(start);
		use(emulator);
	});
	afterAll(async () => {
		await emulator?.close();
		await agent.close();
	});
	beforeEach(() => {
		emulator!.reset();
		if (stepMs !== undefined) emulator!.setStepMs(stepMs);
	});
	return (method, endpoint, o) => call(emulator!.url, method, endpoint, o);
}
