/**
 * Where a bot without credentials (local mode) may send its replies. A channel tells the bot its
 * service URL in every activity; unauthenticated, anyone could name any URL and have the bot post
 * to it, so local mode answers only loopback service URLs and the origins staff listed.
 */
export class ServiceUrlPolicy {
  private readonly origins: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.origins = new Set(allowedOrigins);
  }

  /** True for an http(s) URL on loopback or on one of the allowed origins. */
  allows(serviceUrl: string): boolean {
    let url: URL;
    try {
      url = new URL(serviceUrl);
    } catch {
      return false;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
    return isLoopbackHost(url.hostname) || this.origins.has(url.origin);
  }
}

/** localhost, 127.0.0.0/8 and ::1, as the WHATWG URL parser normalises them ("127.1" → "127.0.0.1"). */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** The origin (scheme://host:port) of an http(s) URL, or undefined when it is not one. */
export function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
  } catch {
    return undefined;
  }
}
