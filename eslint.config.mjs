// n8n's own lint for community packages (the rules n8n Cloud verification applies):
// @n8n/eslint-plugin-community-nodes plus eslint-plugin-n8n-nodes-base, as @n8n/node-cli sets them up.
import { config } from '@n8n/node-cli/eslint';

export default [
	...config,
	{ ignores: ['test/**', 'scripts/**', 'bench/**', 'docs/**', 'examples/**', '*.js', '*.mjs'] },
];
