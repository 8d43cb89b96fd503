import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';

/**
 * Why a request failed, reduced to what is safe to show: never a header, never the request
 * options (they carry the credential), only what DocFlow or the network said.
 */
export interface DocflowFailure {
	endpoint: string;
	/** HTTP status, when DocFlow (or a proxy before it) answered at all. */
	httpStatus?: number;
	/** DocFlow's business `code` (anything but 200 in an HTTP 200 answer). */
	code?: number;
	msg?: string;
	traceId?: string;
	/** The network error code (ECONNREFUSED, ETIMEDOUT, …) when there was no answer. */
	networkCode?: string;
	/** Seconds the server asked us to wait (Retry-After). */
	retryAfterSeconds?: number;
	/**
	 * Whether DocFlow may have acted on the request although we saw no success:
	 * 'no' when it provably did not (refused connection, 429/423/503), 'unknown' when the
	 * body was sent and the answer got lost (timeout, reset, gateway error).
	 */
	accepted: 'no' | 'unknown';
	/** The attempts made, retries included. */
	attempts?: number;
	/** A short note on what was wrong with the answer itself (HTML page, truncated JSON…). */
	bodyProblem?: string;
	/** For an HTTP 3xx: the address the answer pointed to (origin and path only) and where the request went. */
	redirect?: { from: string; to: string };
}

type FailureCause =
	| 'rate-limited'
	| 'temporarily-unavailable'
	| 'credential-invalid'
	| 'configuration-invalid'
	| 'quota-exhausted';

/** Codes DocFlow (TextIn) uses for credential and parameter problems. */
const CREDENTIAL_CODES = new Set([40101, 40102, 40103]);
const ENTERPRISE_CODES = new Set([40301]);
const BALANCE_CODES = new Set([40003]);

const CREDENTIAL_HINT =
	'Check the App ID and Secret Code in the DocFlow API credential (TextIn console → Account & Billing → Account & Developer Information). With Signature authentication, also check that the clock of the n8n machine is right.';

const WORKSPACE_HINT =
	'Check the Workspace ID: in DocFlow, open the workspace list, then More Actions → Settings on the workspace to copy its ID.';

/**
 * DocFlow's "no such workspace" (e.g. 工作空间不存在), told apart from other messages that only
 * mention a workspace (a duplicate name, a workspace of another enterprise…), which keep
 * DocFlow's own words.
 */
function isWorkspaceMessage(msg: string | undefined): boolean {
	return (
		msg !== undefined &&
		/(工作)?空间(不存在|未找到)|workspace[^.]{0,20}\b(not (found|exist)|does not exist|doesn't exist|unknown)|(unknown|invalid|no such) workspace/i.test(msg)
	);
}

function describeFailure(f: DocflowFailure): {
	message: string;
	description: string;
	cause?: FailureCause;
} {
	const said = [
		f.code !== undefined ? `DocFlow code ${f.code}` : undefined,
		f.msg ? `“${f.msg}”` : undefined,
		f.httpStatus !== undefined ? `HTTP ${f.httpStatus}` : undefined,
		f.traceId ? `trace ID ${f.traceId}` : undefined,
	]
		.filter(Boolean)
		.join(', ');
	const context = said ? ` (${said})` : '';
	const attempts = f.attempts && f.attempts > 1 ? ` after ${f.attempts} attempts` : '';

	if (f.redirect) {
		return {
			message: `DocFlow’s address answered with a redirect${f.redirect.to ? ` to ${f.redirect.to}` : ''}, which the node does not follow${context}`,
			description: `The request went to ${f.redirect.from}. The node sends your credential and documents only to the address set in the DocFlow API credential, never on to another one. If DocFlow has really moved, set Region or Base URL in the credential to the new address; otherwise check what answers at that address (a proxy or a login page).`,
			cause: 'configuration-invalid',
		};
	}
	if (f.code !== undefined && CREDENTIAL_CODES.has(f.code)) {
		return {
			message: `DocFlow rejected the credential${context}`,
			description: CREDENTIAL_HINT,
			cause: 'credential-invalid',
		};
	}
	if (f.code !== undefined && ENTERPRISE_CODES.has(f.code)) {
		return {
			message: `DocFlow refused access for this enterprise${context}`,
			description:
				'Check the Enterprise ID in the DocFlow API credential (DocFlow: click the logo, then Enterprise Management), or leave it empty if your account belongs to one enterprise only.',
			cause: 'credential-invalid',
		};
	}
	if (f.code !== undefined && BALANCE_CODES.has(f.code)) {
		return {
			message: `DocFlow refused the request: the account balance is used up${context}`,
			description: 'Top up the TextIn account, then run the workflow again.',
			cause: 'quota-exhausted',
		};
	}
	if (f.code !== undefined && isWorkspaceMessage(f.msg)) {
		return {
			message: `DocFlow does not know this workspace${context}`,
			description: WORKSPACE_HINT,
			cause: 'configuration-invalid',
		};
	}
	if (f.code !== undefined && f.code !== 900 && f.httpStatus === 200) {
		return {
			message: `DocFlow refused the request to ${f.endpoint}${context}`,
			description:
				'DocFlow answered with an error code. The message above is DocFlow’s own; check the parameters it names.',
		};
	}
	if (f.httpStatus === 429) {
		return {
			message: `DocFlow is limiting requests${attempts}${context}`,
			description:
				'Too many requests reached DocFlow at once. Run fewer items in parallel (option Batching), or retry later.',
			cause: 'rate-limited',
		};
	}
	if (f.httpStatus === 401 || f.httpStatus === 403) {
		return {
			message: `DocFlow refused access${context}`,
			description: CREDENTIAL_HINT,
			cause: 'credential-invalid',
		};
	}
	if (f.httpStatus === 404) {
		return {
			message: `DocFlow has no endpoint ${f.endpoint} at this address${context}`,
			description:
				'Check the Region or the Base URL of a private deployment in the DocFlow API credential: it should be the address of DocFlow itself, without /api/….',
			cause: 'configuration-invalid',
		};
	}
	if (f.networkCode) {
		return describeNetworkFailure(f, attempts);
	}
	if (f.bodyProblem) {
		return {
			message: `DocFlow sent an answer the node cannot read: ${f.bodyProblem}${attempts}${context}`,
			description:
				'This usually means a proxy or gateway answered instead of DocFlow, or the connection broke off mid-answer. Check the Region / Base URL in the credential and try again later.',
			cause: 'temporarily-unavailable',
		};
	}
	return {
		message: `DocFlow is not available right now${attempts}${context}`,
		description:
			'DocFlow or a gateway in front of it failed. The node retried where that was safe; run the workflow again later.',
		cause: 'temporarily-unavailable',
	};
}

function describeNetworkFailure(
	f: DocflowFailure,
	attempts: string,
): { message: string; description: string; cause?: FailureCause } {
	// The raw code (ECONNRESET…) goes into the description only: n8n replaces any error message
	// that contains one with its own generic text, which would drop "after N attempts [item N]".
	const region = `Check the Region (or the Base URL of a private deployment) in the DocFlow API credential and that this machine can reach it. (Network error ${f.networkCode}.)`;
	switch (f.networkCode) {
		case 'ECONNREFUSED':
			return {
				message: `Could not connect to DocFlow: connection refused${attempts}`,
				description: region,
				cause: 'temporarily-unavailable',
			};
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return {
				message: `Could not find the DocFlow server: its host name does not resolve${attempts}`,
				description: region,
				cause: 'configuration-invalid',
			};
		case 'ETIMEDOUT':
		case 'ECONNABORTED':
			return {
				message: `DocFlow did not answer in time${attempts}`,
				description: `Raise Request Timeout in the node’s options for large files, or try again later. An upload that timed out may still have reached DocFlow; the node checks the batch before sending a file again. (Network error ${f.networkCode}.)`,
				cause: 'temporarily-unavailable',
			};
		default:
			return {
				message: `The connection to DocFlow broke off${attempts}`,
				description: `${region} If it happens again, try later.`,
				cause: 'temporarily-unavailable',
			};
	}
}

/** A DocFlow failure as the NodeApiError n8n shows, with nothing secret in it. */
export class DocflowApiError extends NodeApiError {
	readonly docflow: DocflowFailure;

	constructor(node: INode, failure: DocflowFailure, itemIndex?: number) {
		const { message, description, cause } = describeFailure(failure);
		const response: JsonObject = { endpoint: failure.endpoint };
		if (failure.httpStatus !== undefined) response.httpStatus = failure.httpStatus;
		if (failure.code !== undefined) response.code = failure.code;
		if (failure.msg !== undefined) response.msg = failure.msg;
		if (failure.traceId !== undefined) response.traceId = failure.traceId;
		if (failure.networkCode !== undefined) response.networkCode = failure.networkCode;
		const fullMessage = itemIndex === undefined ? message : `${message} [item ${itemIndex}]`;
		super(node, response, {
			message: fullMessage,
			description,
			httpCode: failure.httpStatus !== undefined ? String(failure.httpStatus) : undefined,
			itemIndex,
			failure:
				cause === 'rate-limited' || cause === 'temporarily-unavailable'
					? {
							cause,
							retryAfterMs:
								failure.retryAfterSeconds !== undefined
									? failure.retryAfterSeconds * 1000
									: undefined,
						}
					: cause
						? { cause }
						: undefined,
		});
		// NodeApiError rewrites a message that mentions a network code or matches an HTTP status
		// into its generic text; the node's own words (attempts, item) are kept.
		this.message = fullMessage;
		this.docflow = failure;
		this.context.docflowCode = failure.code;
		this.context.docflowMessage = failure.msg;
		this.context.traceId = failure.traceId;
	}
}

/**
 * The node's own error for one item: the message ends in “[item N]” as n8n's nodes put it, the
 * description says what to do, and `context` carries what an error item shows (file name,
 * binary field…). n8n rewrites messages that mention a system error code (ENOENT, EPERM…,
 * also inside a file name) into generic text; the message is set back to the node's words.
 */
export function itemError(
	node: INode,
	message: string,
	{
		itemIndex,
		description,
		context,
	}: { itemIndex?: number; description?: string; context?: IDataObject } = {},
): NodeOperationError {
	const full = itemIndex === undefined ? message : `${message} [item ${itemIndex}]`;
	const error = new NodeOperationError(node, full, { itemIndex, description });
	error.message = full;
	if (context) Object.assign(error.context, context);
	return error;
}
