/**
 * The workflows the end-to-end suite imports into real n8n, and the credentials they use.
 * Every scenario has its own DocFlow App ID, so the emulator's request log tells apart the
 * requests of workflows that ran one after the other in one `n8n execute-batch`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { DEFAULT_CREDENTIALS } from '../emulator/index.ts';
import type { DocflowEmulator, EmulatorCredential, RecordedRequest } from '../emulator/index.ts';
import { EXAMPLES, n8nHome, removeScratch, run } from './n8n.ts';
import type { BatchResult, CredentialExport, N8nFolder, Run, Workflow, WorkflowNode } from './n8n.ts';

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
	errUpload: scenario('errUpload'),
	errFetch: scenario('errFetch'),
	errRetry: scenario('errRetry'),
} satisfies Record<string, Scenario>;

/** The emulator accepts every scenario's App ID (all in enterprise 1001), and its demo one. */
export function emulatorCredentials(scenarios: Scenario[] = Object.values(SCENARIOS)): EmulatorCredential[] {
	return [
		...DEFAULT_CREDENTIALS.map((c) => ({ ...c, enterpriseIds: [...c.enterpriseIds] })),
		...scenarios.map((s) => ({ appId: s.appId, secretCode: s.secretCode, enterpriseIds: [ENTERPRISE_ID] })),
	];
}

/** The scenarios' DocFlow credentials as `n8n import:credentials` takes them, pointed at the emulator. */
export function n8nCredentials(emulatorUrl: string, scenarios: Scenario[] = Object.values(SCENARIOS)): CredentialExport[] {
	return scenarios.map((s) => ({
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

/**
 * Several items from one node: a Set node in JSON mode holding the rows, then a Split Out node
 * named `name` making one item of each row (no Code node, so no task runner is involved).
 * Chain them as [`${name} rows`, name].
 */
export function rows(name: string, list: Array<Record<string, unknown>>): WorkflowNode[] {
	return [
		{
			id: nodeId(),
			name: `${name} rows`,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [0, 0],
			parameters: { mode: 'raw', jsonOutput: JSON.stringify({ rows: list }), options: {} },
		},
		{
			id: nodeId(),
			name,
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [0, 0],
			parameters: { fieldToSplitOut: 'rows', include: 'noOtherFields', options: {} },
		},
	];
}

/** A node that passes its items on unchanged: the end of a branch, to count what arrives. */
export function noOp(name: string): WorkflowNode {
	return { id: nodeId(), name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [0, 0], parameters: {} };
}

/** A step of a chain: a node name, or [name, output index] to leave that node by another output than its first. */
export type ChainStep = string | [node: string, output: number];

/**
 * Connections for chains of node names: [['A', 'B', 'C'], ['A', 'D']]. [['If', 1], 'E'] connects
 * If's second output (or, with “Continue (using error output)”, a node's error output) to E.
 */
export function connect(...chains: ChainStep[][]): Workflow['connections'] {
	const connections: Workflow['connections'] = {};
	for (const chain of chains) {
		for (let i = 0; i < chain.length - 1; i++) {
			const step = chain[i];
			const next = chain[i + 1];
			const [name, outputIndex] = typeof step === 'string' ? [step, 0] : step;
			const to = typeof next === 'string' ? next : next[0];
			const from = (connections[name] ??= { main: [[]] });
			while (from.main.length <= outputIndex) from.main.push([]);
			if (!from.main[outputIndex].some((c) => c.node === to)) {
				from.main[outputIndex].push({ node: to, type: 'main', index: 0 });
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

/**
 * Asserts that the examples `files` were imported unchanged into `folder`'s n8n (nodes by name,
 * type and version; connections), and that validate-workflows.cjs, run against that n8n's own
 * node classes and the package as installed there, finds every node of each file and no problem
 * (a node type, version, parameter, option or credential that n8n does not know).
 */
export async function expectExamplesValid(folder: N8nFolder, files: string[]): Promise<void> {
	const stored = await folder.exportWorkflows();
	for (const file of files) {
		const example = loadExample(file);
		const got = stored.find((w) => w.id === example.id);
		expect(got).toBeDefined();
		expect(got!.nodes.map((n) => [n.name, n.type, n.typeVersion]).sort()).toEqual(
			example.nodes.map((n) => [n.name, n.type, n.typeVersion]).sort(),
		);
		expect(got!.connections).toEqual(example.connections);
	}

	const modules = join(n8nHome(folder.version), 'node_modules');
	const pkg = join(folder.dir, '.n8n', 'nodes', 'node_modules', 'n8n-nodes-docflow');
	expect(existsSync(pkg)).toBe(true);
	const result = await run('node', [join(__dirname, 'validate-workflows.cjs'), modules, pkg, ...files.map((f) => join(EXAMPLES, f))], {
		env: { NODE_PATH: modules },
	});
	expect(result.stderr).toBe('');
	const report = JSON.parse(result.stdout) as Record<string, Record<string, { problems: string[] }>>;
	expect(Object.keys(report).sort()).toEqual([...files].sort());
	for (const file of files) {
		expect(Object.keys(report[file]).sort()).toEqual(loadExample(file).nodes.map((n) => n.name).sort());
	}
	const problems = Object.entries(report).flatMap(([file, nodes]) =>
		Object.entries(nodes).flatMap(([node, r]) => r.problems.map((p) => `${file} › ${node}: ${p}`)),
	);
	expect(problems).toEqual([]);
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

// ---------- what a scenario's workflow sent and ran ----------

/** The requests DocFlow got from a scenario's workflow (told apart by its App ID); of one endpoint when given. */
export function requestsOf(emulator: DocflowEmulator, s: Scenario, endpoint?: string): RecordedRequest[] {
	return emulator.requests.filter(
		(r) => r.headers['x-ti-app-id'] === s.appId && (endpoint === undefined || r.path.endsWith(`/${endpoint}`)),
	);
}

/** `METHOD endpoint` of each request: what went over the wire, in order. */
export const wire = (requests: RecordedRequest[]) => requests.map((r) => `${r.method} ${r.path.split('/platform/v2/')[1]}`);

/** A scenario's run in an `n8n execute-batch`, or an error with why it did not finish and n8n's stderr. */
export function runOf(batch: BatchResult, s: Scenario): Run {
	const r = batch.runs.get(s.workflowId);
	if (!r) {
		throw new Error(
			`workflow ${s.workflowId} did not finish: ${batch.errors.get(s.workflowId) ?? 'no run'}\n--- n8n stderr ---\n${batch.stderr.slice(-6000)}`,
		);
	}
	return r;
}

/** Asserts that `n8n execute-batch` ran each of the workflows `ids` and none of them ended in an error. */
export function expectAllFinished(batch: BatchResult, ids: string[]): void {
	expect(Object.fromEntries(batch.errors)).toEqual({});
	expect([...batch.runs.keys()].sort()).toEqual([...ids].sort());
	for (const r of batch.runs.values()) expect(r.data.resultData.error).toBeUndefined();
}

/**
 * A suite's teardown: closes the emulator, removes n8n's folder and the scratch folder `work`.
 * With DOCFLOW_E2E_KEEP both folders stay, for a look afterwards, and what DocFlow received is
 * written next to them (work/emulator-requests.json).
 */
export async function endSuite(
	version: string,
	emulator: DocflowEmulator | undefined,
	folder: N8nFolder | undefined,
	work: string | undefined,
): Promise<void> {
	if (process.env.DOCFLOW_E2E_KEEP && work && emulator) {
		writeFileSync(join(work, 'emulator-requests.json'), JSON.stringify(emulator.requests, null, 2));
		process.stderr.write(`[e2e] n8n ${version}: kept ${folder?.dir} and ${work}\n`);
	}
	await emulator?.close();
	folder?.remove();
	removeScratch(work);
}
