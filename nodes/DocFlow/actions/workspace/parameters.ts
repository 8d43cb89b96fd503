import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { WORKSPACE_AUTH_SCOPES, WORKSPACE_LIMITS } from '../../transport/api.types';
import { CREDENTIAL_TYPE } from '../../transport/credentials';
import { itemError } from '../../transport/errors';
import { readId } from '../parameters/ids';

/**
 * The Workspace resource's own parameters and their readers: every check runs in an
 * operation's `prepare`, before any item sends anything.
 */

const ENTERPRISE_HINT = 'In DocFlow: click the logo, then Enterprise Management';

/** Options → Enterprise ID: the credential's when empty (as the Workspace picker uses it). */
export const enterpriseIdOption: INodeProperties = {
	displayName: 'Enterprise ID',
	name: 'enterpriseId',
	type: 'string',
	default: '',
	placeholder: 'e.g. 12345',
	hint: ENTERPRISE_HINT,
	description:
		'The enterprise the workspaces belong to. Leave empty to use the Enterprise ID of the DocFlow API credential.',
};

/** auth_scope, as the spec defines it (0 only the creator, 1 the enterprise's members). */
export const visibleToField = (description: string): INodeProperties => ({
	displayName: 'Visible To',
	name: 'authScope',
	type: 'options',
	options: [
		{
			name: WORKSPACE_AUTH_SCOPES[1],
			value: 1,
			description: 'Every member of the enterprise can see and use the workspace',
		},
		{
			name: WORKSPACE_AUTH_SCOPES[0],
			value: 0,
			description: 'Only the DocFlow account of this credential sees the workspace',
		},
	],
	default: 1,
	description,
});

/** A text parameter of one item: a string (numbers are taken as text), or an error that says what was mapped. */
function readText(ctx: IExecuteFunctions, parameter: string, itemIndex: number, label: string): string | undefined {
	// null as the fallback: n8n throws for a parameter that is not set when the fallback is undefined.
	const raw: unknown = ctx.getNodeParameter(parameter, itemIndex, null);
	if (raw === undefined || raw === null) return undefined;
	if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
	if (typeof raw !== 'string') {
		throw itemError(ctx.getNode(), `${label} must be text, but it is ${Array.isArray(raw) ? 'a list' : 'an object'}`, {
			itemIndex,
			description: `Map a single text field into ${label}, e.g. {{ $json.name }}.`,
		});
	}
	return raw;
}

/** Characters as DocFlow counts them (the spec's maxLength): code points, so an emoji is one. */
const lengthOf = (text: string) => [...text].length;

function checkLength(ctx: IExecuteFunctions, text: string, max: number, label: string, itemIndex: number): void {
	const length = lengthOf(text);
	if (length > max) {
		throw itemError(ctx.getNode(), `${label} is ${length} characters long; DocFlow allows at most ${max}`, {
			itemIndex,
			description: `Shorten the ${label.toLowerCase()} to ${max} characters or fewer. In an expression, e.g. {{ $json.value.slice(0, ${max}) }}.`,
		});
	}
}

/** A workspace name: trimmed (a mapped value often carries stray spaces), never empty, at most 50 characters. */
export function readName(ctx: IExecuteFunctions, parameter: string, itemIndex: number): string {
	const name = (readText(ctx, parameter, itemIndex, 'Name') ?? '').trim();
	if (name === '') {
		throw itemError(ctx.getNode(), 'Name is empty', {
			itemIndex,
			description:
				'Set the workspace’s Name, or map it from an earlier node (e.g. {{ $json.client_name }}). If it is mapped, the field it points to is empty for this item.',
		});
	}
	checkLength(ctx, name, WORKSPACE_LIMITS.nameMaxLength, 'Name', itemIndex);
	return name;
}

/** A description (may be empty: on Update that clears it), at most `max` characters. */
export function readDescription(
	ctx: IExecuteFunctions,
	parameter: string,
	itemIndex: number,
	max: number,
): string | undefined {
	const description = readText(ctx, parameter, itemIndex, 'Description');
	if (description !== undefined) checkLength(ctx, description, max, 'Description', itemIndex);
	return description;
}

/** auth_scope from Visible To: 0 or 1 (an expression may give them as text). */
export function readAuthScope(ctx: IExecuteFunctions, parameter: string, itemIndex: number): number {
	const raw: unknown = ctx.getNodeParameter(parameter, itemIndex, 1);
	const value = typeof raw === 'string' && /^\s*[01]\s*$/.test(raw) ? Number(raw) : raw;
	if (value !== 0 && value !== 1) {
		throw itemError(ctx.getNode(), `Visible To must be “Only Me” (0) or “Enterprise Members” (1), not ${JSON.stringify(raw)}`, {
			itemIndex,
			description: 'Choose one of the two in the list, or map 0 (only the credential’s account) or 1 (every member of the enterprise).',
		});
	}
	return value;
}

/** A callback address: http(s) with a host; empty clears the callback. */
export function readCallbackUrl(ctx: IExecuteFunctions, parameter: string, itemIndex: number): string | undefined {
	const text = readText(ctx, parameter, itemIndex, 'Callback URL')?.trim();
	if (text === undefined || text === '') return text;
	let url: URL | undefined;
	try {
		url = new URL(text);
	} catch {
		url = undefined;
	}
	if (!url || !/^https?:$/.test(url.protocol) || url.hostname === '') {
		throw itemError(ctx.getNode(), `Callback URL “${text}” is not an http(s) address`, {
			itemIndex,
			description:
				'DocFlow calls this address when a document is processed. Give a full address such as https://example.com/docflow-callback (an n8n Webhook node’s Production URL works), or leave it empty to remove the callback.',
		});
	}
	return text;
}

/** callback_retry_time: a whole number from 1 to 3 (the spec's range). */
export function readCallbackRetries(ctx: IExecuteFunctions, parameter: string, itemIndex: number): number {
	const raw: unknown = ctx.getNodeParameter(parameter, itemIndex, WORKSPACE_LIMITS.callbackRetryMax);
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	const { callbackRetryMin: min, callbackRetryMax: max } = WORKSPACE_LIMITS;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
		throw itemError(ctx.getNode(), `Callback Retry Count must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}`, {
			itemIndex,
			description: `DocFlow retries a failed callback ${min} to ${max} times; set a number in that range.`,
		});
	}
	return value;
}

/**
 * The enterprise of Get Many and Create: Options → Enterprise ID, or the credential's. Both
 * workspace/list and workspace/create need it; DocFlow has no call that tells it.
 */
export async function readEnterpriseId(ctx: IExecuteFunctions, itemIndex: number): Promise<string> {
	let enterpriseId = readId(ctx, 'options.enterpriseId', itemIndex, 'Enterprise ID', { optional: true });
	let from = 'Options → Enterprise ID';
	if (enterpriseId === '') {
		const credentials = await ctx.getCredentials(CREDENTIAL_TYPE, itemIndex);
		enterpriseId = String(credentials.enterpriseId ?? '').trim();
		from = 'the DocFlow API credential';
	}
	if (enterpriseId === '') {
		throw itemError(ctx.getNode(), 'Enterprise ID is empty', {
			itemIndex,
			description: `DocFlow keeps workspaces per enterprise. Set Enterprise ID in the DocFlow API credential, or in this node under Options → Enterprise ID (${ENTERPRISE_HINT}).`,
		});
	}
	if (!/^\d+$/.test(enterpriseId)) {
		throw itemError(ctx.getNode(), `Enterprise ID “${enterpriseId}” (from ${from}) is not a number`, {
			itemIndex,
			description: `A DocFlow Enterprise ID is digits only, e.g. 12345 (${ENTERPRISE_HINT}).`,
		});
	}
	return enterpriseId;
}

/**
 * The enterprise ID as the JSON integer the spec asks for (int64). IDs above 2^53 cannot be a
 * JavaScript number without losing digits, so they go as raw JSON digits where Node.js can
 * write them (JSON.rawJSON, Node.js 21+); undefined where it cannot.
 */
export function enterpriseIdJson(enterpriseId: string): unknown {
	const digits = enterpriseId.replace(/^0+(?=\d)/, '');
	const asNumber = Number(digits);
	if (Number.isSafeInteger(asNumber)) return asNumber;
	const rawJSON = (JSON as unknown as { rawJSON?: (text: string) => unknown }).rawJSON;
	return rawJSON ? rawJSON(digits) : undefined;
}
