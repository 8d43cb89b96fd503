import type { IExecuteFunctions } from 'n8n-workflow';

import { itemError } from '../../transport/errors';

/**
 * Readers of the values the Category resources take (names, texts, lists, JSON): each checks
 * the value before anything is sent and names the item and the parameter when it is wrong.
 */

/** Fails item `itemIndex` with a message and what to do about it. */
export function failItem(ctx: IExecuteFunctions, itemIndex: number, message: string, description: string): never {
	throw itemError(ctx.getNode(), message, { itemIndex, description });
}

/** What kind of value a wrong value is, for messages: “a list”, “an object”, “a number”… */
export function kindOf(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A name (category, field, table): one non-empty line of text, at most `maxLength` characters. */
export function readName(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
	maxLength?: number,
): string {
	if (typeof value === 'number') value = String(value);
	if (value !== undefined && value !== null && typeof value !== 'string') {
		failItem(
			ctx,
			itemIndex,
			`${label} must be text, but it is ${kindOf(value)}`,
			`Map a single text field into ${label}.`,
		);
	}
	const name = String(value ?? '').trim();
	if (name === '') {
		failItem(
			ctx,
			itemIndex,
			`${label} is empty`,
			`Set ${label}, or map it from an earlier node. If it is mapped, the field it points to is empty for this item.`,
		);
	}
	if (/[\r\n]/.test(name)) {
		failItem(
			ctx,
			itemIndex,
			`${label} “${name.replace(/[\r\n]+/g, ' ')}” spans several lines`,
			`Use a single line for ${label}.`,
		);
	}
	if (maxLength !== undefined && Array.from(name).length > maxLength) {
		failItem(
			ctx,
			itemIndex,
			`${label} “${name}” is ${Array.from(name).length} characters long; DocFlow allows at most ${maxLength}`,
			`Shorten ${label}.`,
		);
	}
	return name;
}

/** Optional text with a length limit; undefined when absent. */
export function readText(
	ctx: IExecuteFunctions,
	value: unknown,
	itemIndex: number,
	label: string,
	maxLength?: number,
): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' || typeof value === 'boolean') value = String(value);
	if (typeof value !== 'string') {
		failItem(
			ctx,
			itemIndex,
			`${label} must be text, but it is ${kindOf(value)}`,
			`Map a single text field into ${label}.`,
		);
	}
	if (maxLength !== undefined && Array.from(value).length > maxLength) {
		failItem(
			ctx,
			itemIndex,
			`${label} is ${Array.from(value).length} characters long; DocFlow allows at most ${maxLength}`,
			`Shorten ${label}.`,
		);
	}
	return value;
}

/** A list from text separated by commas, or from an expression that returns a list. */
export function readList(ctx: IExecuteFunctions, value: unknown, itemIndex: number, label: string): string[] {
	if (value === undefined || value === null || value === '') return [];
	const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
	if (!list || list.some((entry) => typeof entry === 'object' && entry !== null)) {
		failItem(
			ctx,
			itemIndex,
			`${label} must be text separated by commas or a list of texts, but it is ${kindOf(value)}`,
			`Enter ${label} like “one, two”, or map a list of texts.`,
		);
	}
	return list.map((entry) => String(entry ?? '').trim()).filter((entry) => entry !== '');
}

/** JSON from a JSON parameter: text to parse, or what an expression already made of it. */
export function parseJsonParameter(ctx: IExecuteFunctions, value: unknown, itemIndex: number, label: string): unknown {
	if (typeof value !== 'string') return value;
	if (value.trim() === '') return undefined;
	try {
		return JSON.parse(value) as unknown;
	} catch (error) {
		return failItem(
			ctx,
			itemIndex,
			`${label} is not valid JSON`,
			`${(error as Error).message}. Check the brackets, quotes and commas.`,
		);
	}
}
