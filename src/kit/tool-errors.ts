/**
 * The stable codes of tool errors (the tool could not do its job; the target did not fail): one table, in
 * the manner of undici's UND_ERR_* codes. A ToolError carries one, report.json carries the code of the
 * error that stopped a run (`toolErrorCode`) and of every `error` result (`errorCode`), and the README's
 * exit-code section is generated from this table. Codes are never renamed or reused for another meaning.
 */
export interface ToolErrorInfo {
  /** The exit code when this error ends a command (as the code of an `error` result it makes the verdict incomplete). */
  exit: 2 | 3;
  meaning: string;
}

export const TOOL_ERRORS = {
  OPC_E_CONFIG: { exit: 2, meaning: 'Usage or configuration error: a bad flag or value, an unknown profile, id or fault, an invalid target, gate, baseline or report file, a target description of another server (none of its tools in the manifest, or in the tool listing of an app it holds) or one that contradicts it (a container, resource, row field or sample payload it refuses, a misspelt tool name, read route, query parameter or tenant), a report directory or exchange journal that cannot be written (e.g. a full disk).' },
  OPC_E_UNREACHABLE: { exit: 3, meaning: 'The target cannot be reached, nothing there answers like OpenPort, or, under a url with a path, the OpenPort server there knows neither /healthz nor the manifest route (the url is below its root; the message names the origin to try).' },
  OPC_E_TIMEOUT: { exit: 3, meaning: 'A request got no complete response within --timeout.' },
  OPC_E_CONNECTION_CLOSED: { exit: 3, meaning: 'The server closed the connection before a complete response.' },
  OPC_E_RESPONSE_TOO_LARGE: { exit: 3, meaning: 'A response body exceeded the size the tool reads.' },
  OPC_E_REQUEST_UNSENDABLE: { exit: 3, meaning: 'A request cannot be sent over HTTP (e.g. a control character in a header).' },
  OPC_E_ADMIN_REFUSED: { exit: 3, meaning: 'The admin plane refused the --admin-header credentials or an operation a check needs.' },
  OPC_E_BROKEN_FRAMING: { exit: 3, meaning: 'The server answered with broken HTTP framing; the check could not read the answer, and ENV-002 reports the framing as a finding.' },
  OPC_E_TOKEN_REFUSED: { exit: 3, meaning: 'The agent plane refused the agent token (--token, --token-file or OPENPORT_CONFORM_TOKEN) before any check ran (401: expired, or unknown, revoked or malformed).' },
  OPC_E_SETUP: { exit: 3, meaning: 'The target did not complete a set-up step a check needs (provisioning, a read-back, a prior write).' },
  OPC_E_MCP: { exit: 3, meaning: 'The MCP session could not be opened, or an MCP call failed outside the protocol.' },
  OPC_E_ABORTED: { exit: 3, meaning: 'The run was interrupted (Ctrl-C, SIGTERM, or its --max-time budget spent) before the check finished.' },
  OPC_E_CHECK_TIMEOUT: { exit: 3, meaning: 'A check got no answer for 30 s (90 s for `load` checks).' },
  OPC_E_CHECK_EXCEPTION: { exit: 3, meaning: 'A check threw an unexpected exception (a defect of the check, or a response shape it did not foresee).' },
  OPC_E_NO_CHECK: { exit: 2, meaning: 'A requirement of a profile has no check in the check list: no run starts.' },
  OPC_E_EVIDENCE_INCOMPLETE: { exit: 3, meaning: 'The exchanges a check or a bundle needs are not all recorded (no journal, or one cut at its byte cap or stopped by a failed write).' },
  OPC_E_CANARY_LEAK: { exit: 3, meaning: "certify: the run's canary secret would be written to the bundle; nothing was written." },
} as const satisfies Record<string, ToolErrorInfo>;

export type ToolErrorCode = keyof typeof TOOL_ERRORS;
export const TOOL_ERROR_CODES = Object.keys(TOOL_ERRORS) as ToolErrorCode[];

export function isToolErrorCode(code: unknown): code is ToolErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(TOOL_ERRORS, code);
}
