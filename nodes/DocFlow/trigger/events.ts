import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { simplifyWithChildren } from '../helpers/simplify';
import { isFinalStatus } from '../transport/api.types';
import type { DocflowFile } from '../transport/api.types';
import { fileKey } from './segments';

export type TriggerEvent = 'processed' | 'verified' | 'rejected';

export const TRIGGER_EVENTS: TriggerEvent[] = ['processed', 'rejected', 'verified'];

/** verification_status values (VERIFICATION_STATUS) the events stand for. */
const PENDING = 0;
const CONFIRMED = 2;
const REJECTED = 3;

/**
 * The event a file's current state stands for, if any. Processed means finished and still
 * awaiting verification: a file confirmed or rejected later is that event, not “processed” again.
 */
export function eventOf(file: DocflowFile): TriggerEvent | undefined {
	if (!isFinalStatus(file.recognition_status)) return undefined;
	const verification = file.verification_status ?? PENDING;
	if (verification === CONFIRMED) return 'verified';
	if (verification === REJECTED) return 'rejected';
	return verification === PENDING ? 'processed' : undefined;
}

/**
 * What the trigger remembers of a reported file: its task and the state it was reported in. A
 * file that reaches another state (failed, then succeeded after a retry; processed, then
 * verified) is a new event.
 */
export function eventKey(file: DocflowFile, event: TriggerEvent): string {
	const state = event === 'processed' ? `p${String(file.recognition_status)}` : event;
	return `${fileKey(file)}:${state}`;
}

export interface EventFilter {
	events: TriggerEvent[];
	/** recognition_status values File Processed stands for. */
	processingResults: number[];
}

/** The event a file is for this trigger, or undefined when it does not start the workflow. */
export function matchingEvent(file: DocflowFile, filter: EventFilter): TriggerEvent | undefined {
	const event = eventOf(file);
	if (event === undefined || !filter.events.includes(event)) return undefined;
	if (event === 'processed' && !filter.processingResults.includes(Number(file.recognition_status))) return undefined;
	return event;
}

/** A reported file as the trigger's output: flat items (the file, then its split or crop parts) or DocFlow's object. */
export function eventItems(
	file: DocflowFile,
	event: TriggerEvent,
	{ simplify, workspaceId }: { simplify: boolean; workspaceId: string },
): INodeExecutionData[] {
	if (!simplify) return [{ json: file as unknown as IDataObject }];
	return simplifyWithChildren(file).map((json) => ({ json: { event, workspace_id: workspaceId, ...json } }));
}
