/** After the e2e run: the packed tarball's scratch folder goes (DOCFLOW_E2E_KEEP=1 keeps it). */
import { dirname } from 'node:path';

import { removeScratch } from './n8n.ts';

export default async function globalTeardown(): Promise<void> {
	const tgz = process.env.DOCFLOW_E2E_TGZ;
	if (tgz && /docflow-e2e-pack-/.test(tgz)) removeScratch(dirname(tgz));
}
