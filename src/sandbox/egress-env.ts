export interface EgressEnvOptions {
  /** The port of the in-sandbox bridge to the egress proxy, on 127.0.0.1. */
  proxyPort: number;
  /** Further hosts reached directly, not through the proxy (e.g. forwarded gateways' hosts). */
  noProxy: string[];
}

/**
 * The proxy variables a sandboxed process gets: every HTTP(S) client is pointed at the bridge on
 * 127.0.0.1, in both cases (curl reads only lower-case `http_proxy`), and loopback is reached directly,
 * where the forwarded gateways listen. There is no SOCKS proxy, so `ALL_PROXY` is never set; the lane
 * entry also removes an inherited one.
 */
export function egressEnv(o: EgressEnvOptions): Record<string, string> {
  if (!Number.isInteger(o.proxyPort) || o.proxyPort < 1 || o.proxyPort > 65535) throw new Error(`Invalid proxy port: ${o.proxyPort}`);
  const proxy = `http://127.0.0.1:${o.proxyPort}`;
  const noProxy = [...new Set(["localhost", "127.0.0.1", ...o.noProxy.map((host) => host.trim()).filter(Boolean)])].join(",");
  return {
    HTTPS_PROXY: proxy,
    HTTP_PROXY: proxy,
    https_proxy: proxy,
    http_proxy: proxy,
    NO_PROXY: noProxy,
    no_proxy: noProxy,
  };
}
