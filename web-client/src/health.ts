/** What the landing page shows about the server, derived from GET /api/health. */
export interface HealthView {
  state: 'ok' | 'down';
  text: string;
}

/** Turns the body of a GET /api/health response into the line shown to the user. */
export function describeHealth(body: unknown): HealthView {
  if (typeof body !== 'object' || body === null) {
    return { state: 'down', text: 'Server sent an unreadable health report' };
  }
  const { status, version } = body as { status?: unknown; version?: unknown };
  if (status !== 'ok') {
    return { state: 'down', text: `Server reports "${String(status ?? 'nothing')}"` };
  }
  const versionText = typeof version === 'string' && version !== '' ? ` · version ${version}` : '';
  return { state: 'ok', text: `Server is running${versionText}` };
}

/** The line shown when the health request itself failed (server down, proxy error, …). */
export function describeUnreachable(reason: string): HealthView {
  return { state: 'down', text: `Server unreachable: ${reason}` };
}
