/** What a Streamable HTTP client must accept (MCP 2025-06-18, "Sending Messages to the Server"); its own module so that reproduce lines do not load the MCP SDK. */
export const MCP_ACCEPT = 'application/json, text/event-stream';
