// Standalone DocFlow emulator: node test/emulator/cli.ts [--port 8765] [--step-ms 300] [--latency-ms 0]
import { startDocflowEmulator } from './index.ts';

function arg(name: string): string | undefined {
	const argv = process.argv.slice(2);
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === name) return argv[i + 1];
		if (argv[i].startsWith(name + '=')) return argv[i].slice(name.length + 1);
	}
	return undefined;
}

function num(name: string, def: number): number {
	const v = arg(name);
	if (v === undefined) return def;
	const n = Number(v);
	if (!Number.isFinite(n) || n < 0) {
		console.error(`invalid ${name}: ${v}`);
		process.exit(2);
	}
	return n;
}

async function main(): Promise<void> {
	const emu = await startDocflowEmulator({
		port: num('--port', 0),
		stepMs: num('--step-ms', 300),
		latencyMs: num('--latency-ms', 0),
	});

	console.log(`DocFlow emulator listening on ${emu.url}`);
	for (const c of emu.credentials) {
		console.log(`  credentials: x-ti-app-id=${c.appId} x-ti-secret-code=${c.secretCode} enterprises=${c.enterpriseIds.join(',')}`);
	}
	for (const w of emu.workspaces) {
		const cats = w.categories.map((c) => `${c.name}${c.enabled === '1' ? '' : ` (enabled=${c.enabled})`}`).join(', ');
		console.log(`  workspace: ${w.workspace_id} "${w.name}" enterprise=${w.enterprise_id} categories: ${cats}`);
	}
	console.log(`  base URL for the node: ${emu.url}  (API prefix /api/app-api/sip/platform/v2/)`);

	let stopping = false;
	async function stop(signal: string): Promise<void> {
		if (stopping) return;
		stopping = true;
		console.log(`received ${signal}, shutting down`);
		await emu.close();
		process.exit(0);
	}
	process.on('SIGINT', () => void stop('SIGINT'));
	process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});
