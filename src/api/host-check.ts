// DNS rebinding defence: a page on evil.example that re-resolves to 127.0.0.1 still sends
// Host: evil.example, so only the names this server is really reached by are accepted.

const WILDCARDS = new Set(['0.0.0.0', '::', '']);

/** 127.0.0.1:<port>, localhost:<port>, [::1]:<port>, plus the bound host when it is a specific name. */
export function defaultAllowedHosts(host: string, port: number): string[] {
  const hosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!WILDCARDS.has(host)) hosts.push(`${host.includes(':') ? `[${host}]` : host}:${port}`);
  return [...new Set(hosts.map((h) => h.toLowerCase()))];
}

export function isAllowedHost(header: string | undefined, allowed: ReadonlySet<string>): boolean {
  return header !== undefined && allowed.has(header.trim().toLowerCase());
}
