import { updateDisplayOptions } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';

import * as file from './file';
import type { Resource } from './node.type';

/**
 * The node's resources. A new operation is its `<resource>/<operation>.operation.ts` plus one
 * line in that resource's index; a new resource is its folder plus one entry here.
 */
export const resources = {
	file: { name: 'File', operations: file, defaultOperation: 'upload' },
} satisfies Record<string, Resource>;

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, 'en');

/** The Resource and Operation parameters and every operation's own, each shown for its pair. */
export function nodeProperties(): INodeProperties[] {
	const entries = Object.entries(resources) as Array<[string, Resource]>;
	const properties: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: entries.map(([value, resource]) => ({ name: resource.name, value })).sort(byName),
			default: 'file',
		},
	];
	for (const [resource, { operations, defaultOperation }] of entries) {
		properties.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [resource] } },
			options: Object.entries(operations)
				.map(([value, { option }]) => ({ ...option, value }))
				.sort(byName),
			default: defaultOperation,
		});
		for (const [operation, module] of Object.entries(operations)) {
			properties.push(
				...updateDisplayOptions({ show: { resource: [resource], operation: [operation] } }, module.description),
			);
		}
	}
	return properties;
}

/** The canvas subtitle: the action of the chosen operation, e.g. “Upload files”. */
export function subtitle(): string {
	const actions: Record<string, string> = {};
	for (const [resource, { operations }] of Object.entries(resources) as Array<[string, Resource]>) {
		for (const [operation, { option }] of Object.entries(operations)) {
			actions[`${resource}:${operation}`] = option.action;
		}
	}
	return `={{ (${JSON.stringify(actions)})[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}
