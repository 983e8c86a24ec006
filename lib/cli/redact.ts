/**
 * Secrets never leave the process: every text bound for a terminal passes
 * through `redactSecrets`. Passwords registered at configuration time are
 * masked wherever they appear, and so is the password part of any URL.
 */
const knownSecrets = new Set<string>();

export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length > 0) knownSecrets.add(secret);
}

const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s]*:)([^@\s]*)(@)/gi;
const KEYWORD_PASSWORD = /\b(password|passwd|pgpassword)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s&;,]+)/gi;

export function redactSecrets(text: string): string {
  let out = text.replace(URL_PASSWORD, "$1****$3").replace(KEYWORD_PASSWORD, "$1$2****");
  for (const secret of knownSecrets) {
    if (out.includes(secret)) out = out.split(secret).join("****");
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join("****");
  }
  return out;
}

/** `postgres://user@host:port/db`: where we connect, without the password or options. */
export function describeUrl(url: URL): string {
  const user = url.username ? `${decodeURIComponent(url.username)}@` : "";
  return `${url.protocol}//${user}${url.host}${url.pathname}`;
}
