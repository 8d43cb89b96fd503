import type { AllEntities, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { resources } from './resources';

/** What an `<operation>.operation.ts` file exports. */
export interface OperationModule {
	/** Its entry in the Operation list: name, description and the action the nodes panel shows. */
	option: { name: string; description: string; action: string };
	/** Its parameters. The resource and operation they show for are added from the index. */
	description: INodeProperties[];
	execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[]>;
}

/** A resource: its name in the panel, its operations (its index: one line per operation). */
export interface Resource {
	name: string;
	operations: Record<string, OperationModule>;
	/** The operation a new node starts with (must be one of `operations`). */
	defaultOperation: string;
}

type Resources = typeof resources;

/** resource → its operations' values, read off the indexes: nothing to keep in step by hand. */
type NodeMap = { [R in keyof Resources]: keyof Resources[R]['operations'] & string };

/** Every valid { resource, operation } pair, as Airtable v2 types its router. */
export type DocFlowType = AllEntities<NodeMap>;
