/**
 * The workflows the end-to-end suite imports into real n8n, and the credentials they use.
 * Every scenario has its own DocFlow App ID, so the emulator's request log tells apart the
 * requests of workflows that ran one after the other in one `n8n execute-batch`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_CREDENTIALS } from '../emulator/index.ts';
import type { EmulatorCredential } from '../emulator/index.ts';
import { EXAMPLES } from './n8n.ts';
import type { CredentialExport, Workflow, WorkflowNode } from './n8n.ts';

export const WORKSPACE_ID = '1234567890';
/** A second workspace of the same enterprise, for the scheduled example's failed files. */
export const OTHER_WORKSPACE_ID = '2234567890';
export const ENTERPRISE_ID = '1001';
export const DOCFLOW_NODE = 'n8n-nodes-docflow.docFlow';

export interface Scenario {
	/** workflow id: at most 21 characters and with a digit (`n8n execute-batch` needs one) */
	workflowId: string;
	appId: string;
	secretCode: string;
	credentialId: string;
	credentialName: string;
	authentication: 'simple' | 'signature';
}

function scenario(key: string, authentication: 'simple' | 'signature' = 'simple'): Scenario {
	const name = key.charAt(0).toUpperCase() + key.slice(1);
	return {
		workflowId: `e2e${name}`.slice(0, 18).padEnd(18, '0') + '001',
		appId: `e2e-${key}`,
		secretCode: `e2e-secret-${key}`,
		credentialId: `e2eCred${name}`.slice(0, 30),
		credentialName: `DocFlow e2e ${key}`,
		authentication,
	};
}

export const SCENARIOS = {
	upload: scenario('upload'),
	fetch: scenario('fetch'),
	retry: scenario('retry'),
	failures: scenario('failures'),
	signature: scenario('signature', 'signature'),
	big: scenario('big', 'signature'),
	urls: scenario('urls'),
	split: scenario('split'),
	exFolder: scenario('exFolder'),
	exRetry: scenario('exRetry'),
	exEmail: scenario('exEmail'),
} satisfies Record<string, Scenario>;

/** The emulator accepts every scenario's App ID (all in enterprise 1001), and its demo one. */
export function emulatorCredentials(): EmulatorCredential[] {
	return [
		...DEFAULT_CREDENTIALS.map((c) => ({ ...c, enterpriseIds: [...c.enterpriseIds] })),
		...Object.values(SCENARIOS).map((s) => ({
			appId: s.appId,
			secretCode: s.secretCode,
			enterpriseIds: [ENTERPRISE_ID],
		})),
	];
}

/** The DocFlow credentials as `n8n import:credentials` takes them, pointed at the emulator. */
export function n8nCredentials(emulatorUrl: string): CredentialExport[] {
	return Object.values(SCENARIOS).map((s) => ({
		id: s.credentialId,
		name: s.credentialName,
		type: 'docFlowApi',
		data: {
			appId: s.appId,
			secretCode: s.secretCode,
			region: 'private',
			baseUrl: emulatorUrl,
			enterpriseId: ENTERPRISE_ID,
			authentication: s.authentication,
		},
	}));
}

// ---------- node builders ----------

let nodeCounter = 0;
function nodeId(): string {
	nodeCounter += 1;
	return `00000000-0000-4000-8000-${String(nodeCounter).padStart(12, '0')}`;
}

export function manualTrigger(name = 'Start'): WorkflowNode {
	return { id: nodeId(), name, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
}

export function readFiles(name: string, fileSelector: string, dataPropertyName?: string): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		position: [200, 0],
		parameters: {
			operation: 'read',
			fileSelector,
			options: dataPropertyName ? { dataPropertyName } : {},
		},
	};
}

export function docflow(
	name: string,
	s: Scenario,
	parameters: Record<string, unknown>,
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: DOCFLOW_NODE,
		typeVersion: 1.1,
		position: [400, 0],
		parameters: {
			resource: 'file',
			workspace: { __rl: true, mode: 'id', value: WORKSPACE_ID },
			...parameters,
		},
		credentials: { docFlowApi: { id: s.credentialId, name: s.credentialName } },
		...extra,
	};
}

export function setFields(name: string, fields: Record<string, string>): WorkflowNode {
	return {
		id: nodeId(),
		name,
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [600, 0],
		parameters: {
			assignments: {
				assignments: Object.entries(fields).map(([field, value], i) => ({
					id: `assignment-${i}`,
					name: field,
					value,
					type: 'string',
				})),
			},
			options: {},
		},
	};
}

/** Connections for chains of node names: [['A', 'B', 'C'], ['A', 'D']]. */
export function connect(...chains: string[][]): Workflow['connections'] {
	const connections: Workflow['connections'] = {};
	for (const chain of chains) {
		for (let i = 0; i < chain.length - 1; i++) {
			const from = (connections[chain[i]] ??= { main: [[]] });
			if (!from.main[0].some((c) => c.node === chain[i + 1])) {
				from.main[0].push({ node: chain[i + 1], type: 'main', index: 0 });
			}
		}
	}
	return connections;
}

export function workflow(s: Scenario, name: string, nodes: WorkflowNode[], connections: Workflow['connections']): Workflow {
	nodes.forEach((node, i) => (node.position = [i * 220, 0]));
	return {
		id: s.workflowId,
		name: `e2e: ${name}`,
		active: false,
		nodes,
		connections,
		settings: { executionOrder: 'v1' },
		pinData: {},
	};
}

// ---------- the examples/ workflows ----------

export const EXAMPLE_FILES = ['folder-to-json.json', 'retry-failed-daily.json', 'email-to-google-sheets.json'];

export function loadExample(file: string): Workflow {
	return JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')) as Workflow;
}

/** An example as the suite runs it: its own id, the scenario's credential, edits applied. */
export function exampleForRun(file: string, s: Scenario, edit: (wf: Workflow) => void = () => {}): Workflow {
	const wf = loadExample(file);
	wf.id = s.workflowId;
	wf.name = `e2e run: ${wf.name}`;
	for (const node of wf.nodes) {
		if (node.type === DOCFLOW_NODE) node.credentials = { docFlowApi: { id: s.credentialId, name: s.credentialName } };
	}
	edit(wf);
	return wf;
}

export function nodeNamed(wf: Workflow, name: string): WorkflowNode {
	const node = wf.nodes.find((n) => n.name === name);
	if (!node) throw new Error(`workflow ${wf.id} has no node “${name}”`);
	return node;
}
