/** Userinfo (`user:pass@`) never reaches the history, an export or the UI. Its own module: the engine needs it without the endpoint rule set. */
/** A URL without its user name and password (history lines, exports and the UI never show userinfo); text that is not a URL is returned as is. */
export function withoutUserinfo(text: string): string {
  if (!text.includes('@')) return text;
  try {
    const url = new URL(text);
    if (!url.username && !url.password) return text;
    url.username = '';
    url.password = '';
    return url.href.endsWith('/') && !text.endsWith('/') ? url.href.slice(0, -1) : url.href;
  } catch {
    return text;
  }
}
