/**
 * Once per e2e run, before any test file: build and pack the package, and make sure every
 * n8n version under test is in the cache (the first install takes minutes and says how far
 * along it is; later runs find it in milliseconds).
 */
import { n8nSh, packPackage, versionsUnderTest } from './n8n.ts';

export default async function globalSetup(): Promise<void> {
	const started = Date.now();
	// the editor check (editor.e2e.test.ts) always runs on 2.40.7
	for (const version of new Set([...versionsUnderTest(), '2.40.7'])) {
		const result = await n8nSh(['install', version], { liveStderr: true });
		if (result.code !== 0) throw new Error(`installing n8n ${version} failed (exit ${result.code})`);
	}
	const tgz = await packPackage();
	process.env.DOCFLOW_E2E_TGZ = tgz;
	process.stderr.write(`[e2e] n8n ${versionsUnderTest().join(' and ')} ready, package packed (${tgz}) in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
