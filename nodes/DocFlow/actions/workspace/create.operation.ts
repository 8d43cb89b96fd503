import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { WORKSPACE_LIMITS } from '../../transport/api.types';
import type { WorkspaceDetails } from '../../transport/api.types';
import { withItemIndex } from '../../helpers/itemErrors';
import { isCancellation } from '../../transport/cancellation';
import { createWorkspace, getWorkspace, listAllWorkspaces } from '../../transport/endpoints/workspace';
import type { WorkspaceCreateBody } from '../../transport/endpoints/workspace';
import { itemError } from '../../transport/errors';
import type { RetrySettings } from '../../transport/request';
import type { Verification } from '../../transport/sendVerified';
import { optionsCollection, retrySettingsFrom } from '../parameters/requestOptions';
import { runPerItem } from '../runPerItem';
import { workspaceItem } from './outputItem';
import {
	enterpriseIdJson,
	enterpriseIdOption,
	readAuthScope,
	readDescription,
	readEnterpriseId,
	readName,
	visibleToField,
} from './parameters';

export const option = {
	name: 'Create',
	description: 'Create a workspace in an enterprise',
	action: 'Create a workspace',
};

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. Acme Corp invoices',
		description: `The new workspace’s name, at most ${WORKSPACE_LIMITS.nameMaxLength} characters. DocFlow does not require names to be unique.`,
	},
	visibleToField('Who can see and use the new workspace in DocFlow'),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Description',
				name: 'description',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description: `What the workspace is for, at most ${WORKSPACE_LIMITS.createDescriptionMaxLength} characters`,
			},
		],
	},
	optionsCollection([enterpriseIdOption]),
];

interface PreparedCreate {
	name: string;
	enterpriseId: string;
	body: WorkspaceCreateBody;
	options: IDataObject;
}

/**
 * The creates of one execution, by enterprise and name. DocFlow allows two workspaces of one
 * name, so after a lost answer a new workspace of that name is this item's only when no other
 * item of the run may have made it: one whose answer came back has claimed its ID, one still
 * waiting for its answer makes the new workspace anybody's.
 */
class CreateLedger {
	private readonly entries = new Map<string, { sending: number; claimed: Set<string> }>();

	private entry(enterpriseId: string, name: string) {
		const key = `${enterpriseId}\u0000${name}`;
		let entry = this.entries.get(key);
		if (!entry) {
			entry = { sending: 0, claimed: new Set() };
			this.entries.set(key, entry);
		}
		return entry;
	}

	async track<T>(enterpriseId: string, name: string, send: () => Promise<T>): Promise<T> {
		const entry = this.entry(enterpriseId, name);
		entry.sending++;
		try {
			return await send();
		} finally {
			entry.sending--;
		}
	}

	claim(enterpriseId: string, name: string, workspaceId: string): void {
		this.entry(enterpriseId, name).claimed.add(workspaceId);
	}

	claimed(enterpriseId: string, name: string): Set<string> {
		return this.entry(enterpriseId, name).claimed;
	}

	/** Items besides the asking one whose create of this name has no answer yet. */
	othersSending(enterpriseId: string, name: string): number {
		return Math.max(0, this.entry(enterpriseId, name).sending - 1);
	}
}

/** The IDs of the enterprise's workspaces with exactly this name. */
async function idsNamed(
	ctx: IExecuteFunctions,
	enterpriseId: string,
	name: string,
	itemIndex: number,
	retry: Partial<RetrySettings>,
): Promise<string[]> {
	const all = await listAllWorkspaces(ctx, enterpriseId, { itemIndex, retry });
	return all.filter((w) => w.name === name).map((w) => String(w.workspace_id));
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const ledger = new CreateLedger();
	return await runPerItem<PreparedCreate>(this, {
		prepare: async (itemIndex) => {
			const name = readName(this, 'name', itemIndex);
			const authScope = readAuthScope(this, 'authScope', itemIndex);
			const description = readDescription(
				this,
				'additionalFields.description',
				itemIndex,
				WORKSPACE_LIMITS.createDescriptionMaxLength,
			);
			const enterpriseId = await readEnterpriseId(this, itemIndex);
			const enterpriseJson = enterpriseIdJson(enterpriseId);
			if (enterpriseJson === undefined) {
				throw itemError(this.getNode(), `Enterprise ID ${enterpriseId} is too large to send as a number on this Node.js`, {
					itemIndex,
					description:
						'DocFlow takes the Enterprise ID as a JSON number; above 2^53 writing it exactly needs Node.js 21 or later. Run n8n on a newer Node.js.',
				});
			}
			const body: WorkspaceCreateBody = { name, enterprise_id: enterpriseJson, auth_scope: authScope };
			if (description !== undefined && description !== '') body.description = description;
			return { name, enterpriseId, body, options: this.getNodeParameter('options', itemIndex, {}) as IDataObject };
		},
		known: ({ name, enterpriseId }) => ({ name, enterprise_id: enterpriseId }),
		run: async ({ name, enterpriseId, body, options }, itemIndex) => {
			const retry = retrySettingsFrom(options);
			// What DocFlow has before the create is sent: after a lost answer, only a workspace of
			// this name that is not among these can be the one this item created.
			const before = new Set(await idsNamed(this, enterpriseId, name, itemIndex, retry));
			let foundId: string | undefined;

			const verify = async (): Promise<Verification> => {
				let now: string[];
				try {
					now = await idsNamed(this, enterpriseId, name, itemIndex, retry);
				} catch (error) {
					if (isCancellation(error)) throw withItemIndex(this.getNode(), error, itemIndex);
					throw itemError(this.getNode(), `Workspace “${name}” may have been created: DocFlow’s answer got lost`, {
						itemIndex,
						description: `Looking for it afterwards failed too (${(error as Error).message.replace(/ \[item \d+\]$/, '')}), so the node did not send the create again. Check the workspaces named “${name}” in enterprise ${enterpriseId} (Get Many, or DocFlow’s workspace list) before running the item again.`,
					});
				}
				const claimed = ledger.claimed(enterpriseId, name);
				const fresh = now.filter((id) => !before.has(id) && !claimed.has(id));
				if (fresh.length === 0) return 'resend';
				const others = ledger.othersSending(enterpriseId, name);
				if (fresh.length === 1 && others === 0) {
					foundId = fresh[0];
					return 'received';
				}
				throw itemError(this.getNode(), `Workspace “${name}” may have been created: DocFlow’s answer got lost`, {
					itemIndex,
					description: `The node did not send the create again, so as not to make a second workspace. Since this item started, ${fresh.length} workspace${fresh.length === 1 ? '' : 's'} named “${name}” appeared in enterprise ${enterpriseId} (${fresh.join(', ')})${others > 0 ? `, while ${others} other item${others === 1 ? '' : 's'} of this run also create${others === 1 ? 's' : ''} one of that name` : ''}, so it cannot tell which is this item’s. Check the workspaces named “${name}” (Get Many, or DocFlow’s workspace list) and delete any extra one before running the item again.`,
				});
			};

			const workspaceId = await ledger.track(enterpriseId, name, async () => {
				const answer = await createWorkspace(this, body, { itemIndex, retry }, verify);
				const id = answer?.workspace_id !== undefined ? String(answer.workspace_id) : foundId;
				if (id === undefined || id === '') {
					throw itemError(this.getNode(), `Workspace “${name}” may have been created: DocFlow’s answer held no workspace ID`, {
						itemIndex,
						description: `DocFlow accepted the create but did not say which workspace it made. Check the workspaces named “${name}” in enterprise ${enterpriseId} (Get Many) before running the item again.`,
					});
				}
				// Claimed before the answer is handed on, so no other item's check can take it.
				ledger.claim(enterpriseId, name, id);
				return id;
			});

			// The workspace as DocFlow now has it (administrator, callback settings). Created is
			// what counts: if reading it back fails, the item still succeeds with what was sent,
			// as failing would invite a second create.
			let created: WorkspaceDetails | undefined;
			try {
				created = await getWorkspace(this, workspaceId, { itemIndex, retry });
			} catch (error) {
				if (isCancellation(error)) throw withItemIndex(this.getNode(), error, itemIndex);
				this.logger?.warn?.(`DocFlow created workspace ${workspaceId}, but reading it back failed: ${(error as Error).message}`);
			}
			const sent: IDataObject = { name, auth_scope: body.auth_scope };
			if (body.description !== undefined) sent.description = body.description;
			return [workspaceItem(workspaceId, created ?? sent, itemIndex)];
		},
	});
}
