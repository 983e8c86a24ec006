/**
 * Secrets never leave the process: every text bound for a terminal passes
 * through `redactSecrets`. Passwords registered at configuration time are
 * masked wherever they appear, and so is the password part of any URL.
 */
const knownSecrets = new Set<string>();

export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length > 0) knownSecrets.add(secret);
}

/**
 * `scheme://user:PASSWORD@`: the password stops at what cannot be in it
 * unencoded (a quote or backslash ends it, so JSON text stays valid).
 */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#@\s"'<>\\]*:)([^@\s/?#"'<>\\]*)(@)/gi;
/** `https://TOKEN@host`: on the web a user without a password is a token (GitHub, GitLab). */
const URL_TOKEN = /(\bhttps?:\/\/)([^:/?#@\s"'<>\\]+)(@)/gi;
const KEYWORD_PASSWORD =
  /\b(password|passwd|pgpassword)(\s*[=:]\s*)(\\"[^"\\]*\\"|"[^"]*"|'[^']*'|[^\s&;,"'<>\\]+)/gi;
/** Signed or token URLs: `?token=…`, `&access_token=…`, `X-Amz-Signature=…`, `sig=…`. */
const QUERY_SECRET =
  /([?&](?:token|access_token|auth|api_?key|key|secret|sig|signature|x-amz-signature|x-amz-credential|x-goog-signature)=)([^&#\s"'<>:;,)\\]+)/gi;

export function redactSecrets(text: string): string {
  let out = text.replace(URL_PASSWORD, "$1****$3").replace(URL_TOKEN, "$1****$3")
    .replace(KEYWORD_PASSWORD, "$1$2****").replace(QUERY_SECRET, "$1****");
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

/**
 * Control characters (ESC, CR, BEL, DEL, the C1 set) and bidirectional
 * overrides in text bound for a terminal, written as `\u001b`: database text
 * cannot clear the screen, move the cursor or hide what follows. In JSON
 * the same escape is exact (JSON.stringify already escapes C0 inside
 * strings, and these characters appear nowhere else), so one rule serves
 * text and --json alike. Tab and newline stay.
 */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The renderer's own styles (bold, cyan, reset), kept when output is styled. */
// deno-lint-ignore no-control-regex -- matching control characters is the point
const STYLE = /\x1b\[(?:1|36|0)m/g;

export function printable(text: string, options: { styled?: boolean } = {}): string {
  const escape = (s: string) =>
    s.replace(CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (!options.styled) return escape(text);
  let out = "";
  let last = 0;
  for (const match of text.matchAll(STYLE)) {
    out += escape(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return out + escape(text.slice(last));
}

/** Everything written to stdout or stderr: secrets masked, control characters escaped. */
export function safeOutput(text: string, options: { styled?: boolean } = {}): string {
  return printable(redactSecrets(text), options);
}
