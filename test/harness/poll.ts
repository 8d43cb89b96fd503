/**
 * Runs the DocFlow Trigger the way n8n runs a polling trigger, with n8n-core's own pieces:
 *
 * - a poll at a poll time: `PollTriggerExecutor.create(…)` (what n8n's active workflows call on
 *   every cron tick) over a real `PollContext`, which runs the node's `poll` through
 *   `TriggersAndPollers` and hands a non-null result to `__emit`, an error to `__emitError`;
 * - activation: the same executor in its “testing” form, as n8n runs a poll right when the
 *   workflow is activated (an error fails the activation);
 * - the node's static data: the Workflow object n8n keeps for an active workflow holds it between
 *   polls; n8n writes it to its database when a poll emits (`saveStaticData` in `__emit`), and a
 *   restarted n8n builds the Workflow again from the database. `persisted` is that database copy;
 * - “Fetch Test Event”: the workflow run in manual mode from the trigger by `WorkflowExecute`.
 *
 * Only the outside world is ours: the credential store (engine.ts) and DocFlow (the emulator).
 */
import { Container } from '@n8n/di';
import { ExecutionLifecycleHooks, LoadOptionsContext, PollContext, PollTriggerExecutor, WorkflowExecute } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	ExecutionError,
	ICredentialDataDecryptedObject,
	IDataObject,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IPollFunctions,
} from 'n8n-workflow';

import { DocFlowTrigger } from '../../nodes/DocFlow/DocFlowTrigger.node';
import { additionalDataFor } from './engine';

export const TRIGGER_NODE_TYPE = 'n8n-nodes-docflow.docFlowTrigger';
const NODE_NAME = 'DocFlow Trigger';
const CREDENTIAL_TYPE = 'docFlowApi';

class TriggerNodeTypes implements INodeTypes {
	private readonly trigger = new DocFlowTrigger();

	getByName(nodeType: string): INodeType {
		if (nodeType !== TRIGGER_NODE_TYPE) throw new Error(`Unknown node type ${nodeType}`);
		return this.trigger;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

export interface TriggerOptions {
	/** The trigger's parameters, as a saved workflow holds them. */
	parameters: Record<string, unknown>;
	/** The decrypted credential, as n8n hands it over. */
	credentials: Record<string, unknown>;
	/** n8n's node setting “On Error” (n8n runs a poll the same whatever it says). */
	onError?: 'continueRegularOutput' | 'continueErrorOutput';
	/** The workflow's ID: polls of one workflow share it (n8n keys running polls by it). */
	workflowId?: string;
}

let workflowCounter = 0;

function triggerNode(options: TriggerOptions): INode {
	return {
		id: 'docflow-trigger',
		name: NODE_NAME,
		type: TRIGGER_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters as INodeParameters,
		credentials: { [CREDENTIAL_TYPE]: { id: '1', name: 'DocFlow account' } },
		...(options.onError ? { onError: options.onError } : {}),
	};
}

function buildWorkflow(options: TriggerOptions, id: string, staticData: IDataObject, active: boolean): Workflow {
	return new Workflow({
		id,
		name: 'DocFlow Trigger test',
		nodes: [triggerNode(options)],
		connections: {},
		active,
		nodeTypes: new TriggerNodeTypes(),
		// A copy, as n8n reads static data from its database into a new object.
		staticData: structuredClone(staticData),
		settings: { executionOrder: 'v1' },
	});
}

/** What one poll did: the items it emitted (one execution), or the error n8n recorded. */
export interface PollResult {
	items: INodeExecutionData[] | null;
	error?: Error;
}

/** An active (published) workflow whose first node is the DocFlow Trigger, inside n8n. */
export class ActiveTrigger {
	/** The workflow's static data as n8n's database holds it. */
	persisted: IDataObject;

	/** Every execution the trigger started, in order. */
	readonly executions: INodeExecutionData[][] = [];

	private workflow: Workflow;

	private readonly id: string;

	constructor(
		private readonly options: TriggerOptions,
		persisted: IDataObject = {},
	) {
		this.id = options.workflowId ?? `trigger-test-${++workflowCounter}`;
		this.persisted = structuredClone(persisted);
		this.workflow = buildWorkflow(options, this.id, this.persisted, true);
	}

	/** The trigger's static data right now (in n8n's memory), as JSON. */
	get staticData(): IDataObject {
		return JSON.parse(JSON.stringify(this.workflow.getStaticData('node', this.workflow.getNode(NODE_NAME)!)));
	}

	/** Every item of every execution so far. */
	get items(): INodeExecutionData[] {
		return this.executions.flat();
	}

	/** n8n restarts: the workflow is built again from the database, memory is gone. */
	restart(): void {
		this.workflow = buildWorkflow(this.options, this.id, this.persisted, true);
	}

	/** Changes a parameter, as saving the workflow in the editor does (static data is kept). */
	setParameters(parameters: Record<string, unknown>): void {
		this.options.parameters = parameters;
		const staticData = JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
		this.workflow = buildWorkflow(this.options, this.id, staticData, true);
	}

	private pollFunctions(result: PollResult): IPollFunctions {
		const node = this.workflow.getNode(NODE_NAME)!;
		const workflow = this.workflow;
		const emit = (data: INodeExecutionData[][]) => {
			// n8n's __emit: saves changed static data to the database, then starts an execution.
			this.save();
			result.items = data[0] ?? [];
			this.executions.push(result.items);
		};
		const emitError = (error: Error) => {
			result.error = error;
		};
		return new PollContext(
			workflow,
			node,
			additionalDataFor(this.options.credentials),
			'trigger',
			'activate',
			emit,
			emitError,
		) as unknown as IPollFunctions;
	}

	private async run(testing: boolean): Promise<PollResult> {
		const result: PollResult = { items: null };
		const node = this.workflow.getNode(NODE_NAME)!;
		const execute = Container.get(PollTriggerExecutor).create(this.workflow, node, this.pollFunctions(result), () => true);
		try {
			await execute(testing);
		} catch (error) {
			result.error = error as Error;
		}
		return result;
	}

	/**
	 * Activation (also what n8n does for every active workflow when it starts): a poll right away,
	 * whose error fails the activation; then n8n saves the static data.
	 */
	async activate(): Promise<PollResult> {
		const result = await this.run(true);
		this.save();
		return result;
	}

	/** n8n's saveStaticData: the database gets the static data when it changed. */
	private save(): void {
		if (this.workflow.staticData.__dataChanged === true) {
			this.persisted = JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
			this.workflow.staticData.__dataChanged = false;
		}
	}

	/** One poll at a poll time, as n8n's scheduler runs it. */
	async poll(): Promise<PollResult> {
		return await this.run(false);
	}
}

export interface TestEventResult {
	items: INodeExecutionData[];
	error?: ExecutionError;
}

/**
 * The editor's “Fetch Test Event”: the workflow executed in manual mode from the trigger, by
 * n8n-core's WorkflowExecute (which runs the node's poll in a manual PollContext). `staticData` is
 * the workflow's, as the editor sends it; the result shows whether the run changed it.
 */
export async function fetchTestEvent(
	options: TriggerOptions,
	staticData: IDataObject = {},
): Promise<TestEventResult & { staticData: IDataObject }> {
	const workflow = buildWorkflow(options, options.workflowId ?? `trigger-manual-${++workflowCounter}`, staticData, false);
	const hooks = new ExecutionLifecycleHooks('manual', `exec-manual-${workflowCounter}`, {
		id: workflow.id,
		name: workflow.name,
		nodes: [],
		connections: {},
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const execute = new WorkflowExecute(additionalDataFor(options.credentials, hooks), 'manual');
	let run;
	try {
		run = await execute.run({ workflow, startNode: workflow.getNode(NODE_NAME)! });
	} catch (error) {
		// n8n checks required parameters and their validation rules before the node runs at all.
		return { items: [], error: error as ExecutionError, staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject };
	}
	const task = run.data.resultData.runData[NODE_NAME]?.[0];
	return {
		items: task?.data?.main?.[0] ?? [],
		error: task?.error ?? run.data.resultData.error,
		staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
	};
}

/** A LoadOptionsContext for the trigger, as n8n builds it when the editor opens one of its pickers. */
export function triggerLoadOptionsContext(
	parameters: Record<string, unknown>,
	credentials: ICredentialDataDecryptedObject,
	path = 'parameters.workspace',
): { context: ILoadOptionsFunctions; nodeType: DocFlowTrigger } {
	const options: TriggerOptions = { parameters, credentials };
	const workflow = buildWorkflow(options, `trigger-pickers-${++workflowCounter}`, {}, false);
	const additionalData = additionalDataFor(credentials);
	(additionalData as { currentNodeParameters?: INodeParameters }).currentNodeParameters = parameters as INodeParameters;
	const context = new LoadOptionsContext(workflow, workflow.getNode(NODE_NAME)!, additionalData, path);
	return { context: context as unknown as ILoadOptionsFunctions, nodeType: new DocFlowTrigger() };
}

/** An expression of the trigger (its canvas subtitle…) as n8n resolves it for a node with these parameters. */
export function resolveForTrigger(parameters: Record<string, unknown>, expression: string): unknown {
	const options: TriggerOptions = { parameters, credentials: {} };
	const workflow = buildWorkflow(options, `trigger-expression-${++workflowCounter}`, {}, false);
	return workflow.expression.getSimpleParameterValue(workflow.getNode(NODE_NAME)!, expression, 'internal', {});
}
