/**
 * Runs the DocFlow node the way n8n runs it: a workflow (a document source → DocFlow)
 * executed by n8n-core's WorkflowExecute, with n8n-core's own binary data service,
 * execution contexts and `httpRequestWithAuthentication`, and the credential's real
 * `authenticate`. Nothing inside n8n is replaced; only the outside world is ours:
 * the credential store (a map) and DocFlow (the emulator, over real HTTP).
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import {
	BinaryDataConfig,
	BinaryDataService,
	ExecutionLifecycleHooks,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
import { ICredentialsHelper, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentials,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
	ILoadOptionsFunctions,
	ExecutionError,
} from 'n8n-workflow';

import { DocFlowApi } from '../../credentials/DocFlowApi.credentials';
import { DocFlow } from '../../nodes/DocFlow/DocFlow.node';

export const DOCFLOW_NODE_TYPE = 'n8n-nodes-docflow.docFlow';
const SOURCE_NODE_TYPE = 'test.documentSource';
const CREDENTIAL_TYPE = 'docFlowApi';

/** A file an input item carries, before n8n's binary data service stores it. */
export interface InputBinary {
	/** The bytes, or a path to stream them from (large files in filesystem mode). */
	data: Buffer | { path: string };
	fileName?: string;
	mimeType?: string;
}

export interface InputItem {
	json?: IDataObject;
	binary?: Record<string, InputBinary>;
}

const fixtures = new Map<string, InputItem[]>();
let fixtureCounter = 0;

/**
 * The workflow's first node: emits the test's items, storing their files through n8n's own
 * `prepareBinaryData`, exactly as Read/Write Files from Disk or an email trigger would.
 */
class DocumentSource implements INodeType {
	description = {
		displayName: 'Document Source',
		name: 'documentSource',
		group: ['input'],
		version: 1,
		description: 'Test fixture',
		defaults: { name: 'Document Source' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Fixture', name: 'fixture', type: 'string', default: '' }],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = fixtures.get(this.getNodeParameter('fixture', 0) as string) ?? [];
		const out: INodeExecutionData[] = [];
		for (const [index, item] of items.entries()) {
			const produced: INodeExecutionData = { json: item.json ?? {}, pairedItem: { item: 0 } };
			if (item.binary) {
				produced.binary = {};
				for (const [field, file] of Object.entries(item.binary)) {
					produced.binary[field] = await this.helpers.prepareBinaryData(
						Buffer.isBuffer(file.data) ? file.data : createReadStream(file.data.path),
						file.fileName,
						file.mimeType,
					);
				}
			}
			produced.json = { ...produced.json, sourceIndex: index };
			out.push(produced);
		}
		return [out];
	}
}

class NodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType> = {
		[DOCFLOW_NODE_TYPE]: new DocFlow(),
		[SOURCE_NODE_TYPE]: new DocumentSource(),
	};

	getByName(nodeType: string): INodeType {
		const type = this.types[nodeType];
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

const credentialTypes: Record<string, ICredentialType> = { [CREDENTIAL_TYPE]: new DocFlowApi() };

/**
 * The credential store: hands the decrypted credential to n8n-core and applies the
 * credential type's own `authenticate`, as n8n's CredentialsHelper does.
 */
class CredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		if (type && typeof type.authenticate === 'function') {
			return await type.authenticate(credentials, requestOptions);
		}
		return requestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used');
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		// A copy, as n8n decrypts afresh for every use: the node must not rely on mutating it.
		return { ...this.data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties() {
		return credentialTypes[CREDENTIAL_TYPE].properties;
	}
}

export type BinaryMode = 'default' | 'filesystem' | 'database';

let binaryModeReady: BinaryMode | undefined;

/**
 * Mode 'database' (queue mode's): n8n-core has no manager of its own for it (n8n's DatabaseManager
 * lives in the n8n package, over n8n's database); whoever uses the mode hands one in here (the
 * benchmark: n8n's own class over an in-memory table).
 */
let databaseManager: unknown;
export function setDatabaseBinaryManager(manager: unknown): void {
	databaseManager = manager;
	binaryModeReady = undefined;
}

/** n8n's binary data folders this process made: removed after the test file, or at exit (benchmark). */
const binaryFolders: string[] = [];
const removeBinaryFolders = () => {
	for (const folder of binaryFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
};
if (typeof afterAll === 'function') afterAll(removeBinaryFolders);
else process.once('exit', removeBinaryFolders);

/** n8n-core's binary data service, in memory ('default'), on disk ('filesystem', n8n 2.x's default), or 'database' (see setDatabaseBinaryManager). */
async function useBinaryMode(mode: BinaryMode): Promise<void> {
	if (binaryModeReady === mode) return;
	const config = Container.get(BinaryDataConfig);
	config.mode = mode as BinaryDataConfig['mode'];
	const folder = mkdtempSync(join(tmpdir(), 'docflow-binary-'));
	binaryFolders.push(folder);
	config.localStoragePath = folder;
	await Container.get(BinaryDataService).init();
	if (mode === 'database') {
		if (!databaseManager) throw new Error('binary mode "database" needs setDatabaseBinaryManager() first');
		Container.get(BinaryDataService).setManager('database', databaseManager as never);
	}
	binaryModeReady = mode;
}

export interface RunOptions {
	/** The DocFlow node's parameters (resource, operation, …), as a saved workflow holds them. */
	parameters: Record<string, unknown>;
	/** The decrypted credential, as n8n hands it over. */
	credentials: Record<string, unknown>;
	items?: InputItem[];
	continueOnFail?: boolean;
	/** n8n's node setting “On Error”; `continueOnFail: true` is “Continue (using regular output)”. */
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
	/** Stops the execution through n8n-core's own cancel (as the editor's Stop button) after this long. */
	cancelAfterMs?: number;
	binaryMode?: BinaryMode;
	typeVersion?: number;
	/** Called right before (awaited) and after the DocFlow node runs (the benchmark measures in between). */
	around?: { before?: () => void | Promise<void>; after?: () => void };
}

export interface RunResult {
	/** The DocFlow node's first output, binary data included. */
	items: INodeExecutionData[];
	/** The error the DocFlow node stopped with, if it did. */
	error?: ExecutionError;
	run: IRun;
	/** The items the source node emitted (what DocFlow received). */
	inputs: INodeExecutionData[];
	/** With onError 'continueErrorOutput': the items n8n put on the node's error output. */
	errorItems: INodeExecutionData[];
	/** With cancelAfterMs: when the execution was stopped, and when the run had ended (epoch ms). */
	cancelledAt?: number;
	endedAt: number;
}

export function additionalDataFor(credentials: Record<string, unknown>, hooks?: ExecutionLifecycleHooks) {
	return {
		credentialsHelper: new CredentialsHelper(credentials as ICredentialDataDecryptedObject),
		hooks,
		executionId: `test-${++fixtureCounter}`,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

function buildWorkflow(options: RunOptions, fixture: string): { workflow: Workflow; docflow: INode } {
	const source: INode = {
		id: 'source',
		name: 'Document Source',
		type: SOURCE_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: { fixture },
	};
	const docflow: INode = {
		id: 'docflow',
		name: 'DocFlow',
		type: DOCFLOW_NODE_TYPE,
		typeVersion: options.typeVersion ?? 1,
		position: [200, 0],
		parameters: options.parameters as INodeParameters,
		credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'DocFlow account' } },
		...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		...(options.onError ? { onError: options.onError } : {}),
	};
	const workflow = new Workflow({
		id: 'docflow-test',
		name: 'DocFlow test',
		nodes: [source, docflow],
		connections: {
			[source.name]: { main: [[{ node: docflow.name, type: 'main', index: 0 }]] },
		},
		active: false,
		nodeTypes: new NodeTypes(),
		settings: { executionOrder: 'v1' },
	});
	return { workflow, docflow };
}

/** Runs source → DocFlow through n8n-core's WorkflowExecute and returns what DocFlow output. */
export async function runDocflow(options: RunOptions): Promise<RunResult> {
	await useBinaryMode(options.binaryMode ?? 'default');
	const fixture = `fixture-${++fixtureCounter}`;
	fixtures.set(fixture, options.items ?? [{ json: {} }]);
	try {
		const { workflow } = buildWorkflow(options, fixture);
		const hooks = new ExecutionLifecycleHooks('manual', `exec-${fixtureCounter}`, {
			id: 'docflow-test',
			name: 'DocFlow test',
			nodes: [],
			connections: {},
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
		} as never);
		hooks.addHandler('nodeExecuteBefore', async (nodeName: string) => {
			if (nodeName === 'DocFlow') await options.around?.before?.();
		});
		hooks.addHandler('nodeExecuteAfter', (nodeName: string) => {
			if (nodeName === 'DocFlow') options.around?.after?.();
		});
		const additionalData = additionalDataFor(options.credentials, hooks);
		const execute = new WorkflowExecute(additionalData, 'manual');
		const running = execute.run({
			workflow,
			startNode: workflow.getNode('Document Source')!,
		});
		let cancelledAt: number | undefined;
		const cancelTimer =
			options.cancelAfterMs === undefined
				? undefined
				: setTimeout(() => {
						cancelledAt = Date.now();
						running.cancel();
					}, options.cancelAfterMs);
		const run = await running.finally(() => clearTimeout(cancelTimer));
		const endedAt = Date.now();
		const sourceError = run.data.resultData.runData['Document Source']?.[0]?.error;
		if (sourceError) throw sourceError;
		const taskData = run.data.resultData.runData.DocFlow?.[0];
		const inputs = run.data.resultData.runData['Document Source']?.[0]?.data?.main?.[0] ?? [];
		return {
			items: taskData?.data?.main?.[0] ?? [],
			errorItems: taskData?.data?.main?.[1] ?? [],
			error: taskData?.error,
			run,
			inputs,
			cancelledAt,
			endedAt,
		};
	} finally {
		fixtures.delete(fixture);
	}
}

/** A LoadOptionsContext as n8n builds it when the editor opens a picker. */
export async function loadOptionsContext(
	parameters: INodeParameters,
	credentials: ICredentialDataDecryptedObject,
	path = 'parameters.workspace',
): Promise<{ context: ILoadOptionsFunctions; nodeType: DocFlow }> {
	const { workflow, docflow } = buildWorkflow({ parameters, credentials }, 'unused');
	const additionalData = additionalDataFor(credentials);
	(additionalData as { currentNodeParameters?: INodeParameters }).currentNodeParameters = parameters;
	const context = new LoadOptionsContext(workflow, docflow, additionalData, path);
	return { context: context as unknown as ILoadOptionsFunctions, nodeType: new DocFlow() };
}

/** Resolves an expression with `$credentials` set, as n8n does for a credential's test request. */
export function resolveWithCredentials(
	expression: string,
	credentials: ICredentialDataDecryptedObject,
): unknown {
	const { workflow, docflow } = buildWorkflow({ parameters: {}, credentials }, 'unused');
	return workflow.expression.getSimpleParameterValue(docflow, expression, 'internal', {
		$credentials: credentials,
	} as never);
}
