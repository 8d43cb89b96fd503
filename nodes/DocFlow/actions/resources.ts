import { updateDisplayOptions } from 'n8n-workflow';
import type { INodeProperties } from 'n8n-workflow';

import * as category from './category';
import * as categoryField from './categoryField';
import * as categorySample from './categorySample';
import * as categoryTable from './categoryTable';
import * as file from './file';
import type { Resource } from './node.type';
import * as reviewTask from './reviewTask';
import * as rule from './rule';
import * as ruleGroup from './ruleGroup';
import * as ruleRepository from './ruleRepository';
import * as workspace from './workspace';

/**
 * The node's resources. A new operation is its `<resource>/<operation>.operation.ts` plus one
 * line in that resource's index; a new resource is its folder plus one entry here.
 */
export const resources = {
	file: { name: 'File', operations: file, defaultOperation: 'upload' },
	workspace: { name: 'Workspace', operations: workspace, defaultOperation: 'getAll' },
	category: { name: 'Category', operations: category, defaultOperation: 'getAll' },
	categoryField: { name: 'Category Field', operations: categoryField, defaultOperation: 'getAll' },
	categoryTable: { name: 'Category Table', operations: categoryTable, defaultOperation: 'getAll' },
	categorySample: { name: 'Category Sample', operations: categorySample, defaultOperation: 'getAll' },
	ruleRepository: { name: 'Rule Repository', operations: ruleRepository, defaultOperation: 'getAll' },
	ruleGroup: { name: 'Rule Group', operations: ruleGroup, defaultOperation: 'create' },
	rule: { name: 'Rule', operations: rule, defaultOperation: 'create' },
	reviewTask: { name: 'Review Task', operations: reviewTask, defaultOperation: 'submit' },
} satisfies Record<string, Resource>;

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name, 'en');

/** The Resource and Operation parameters and every operation's own, each shown for its pair. */
export function nodeProperties(): INodeProperties[] {
	// A resource shows once it has an operation (its index may still be empty while it is built).
	const entries = (Object.entries(resources) as Array<[string, Resource]>).filter(
		([, resource]) => Object.keys(resource.operations).length > 0,
	);
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
