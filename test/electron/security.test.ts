/** The hardening of webContents and session: navigation, new windows, webviews, permissions, network. */
import { describe, expect, it } from 'vitest';
import { externalUrl, hardenContents, hardenSession, permissionGranted } from '../../electron/security.ts';
import { FakeWebContents } from './fake-electron.ts';

function hardened() {
  const contents = new FakeWebContents();
  const opened: string[] = [];
  hardenContents(contents, { openExternal: async (url) => void opened.push(url) });
  return { contents, opened };
}

describe('external links', () => {
  it('accepts only http(s) URLs with a host and no credentials', () => {
    expect(externalUrl('https://docs.aws.amazon.com/sagemaker/')).toBe('https://docs.aws.amazon.com/sagemaker/');
    expect(externalUrl('http://example.com')).toBe('http://example.com/');
    for (const bad of ['javascript:alert(1)', 'file:///etc/passwd', 'app://heartbeat/index.html', 'data:text/html,hi', 'vbscript:x', 'smb://host/share', 'https://user:pw@example.com/', 'not a url', 'https://' + 'a'.repeat(2100) + '.com']) {
      expect(externalUrl(bad), bad).toBeUndefined();
    }
  });
});

describe('webContents hardening', () => {
  it('prevents every navigation, including to our own origin and to the web', () => {
    const { contents } = hardened();
    expect(contents.emitPreventable('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.emitPreventable('will-navigate', 'app://heartbeat/index.html')).toBe(true);
    expect(contents.emitPreventable('will-navigate', 'file:///etc/passwd')).toBe(true);
  });

  it('prevents redirects away from the app origin and every <webview>', () => {
    const { contents } = hardened();
    expect(contents.emitPreventable('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.emitPreventable('will-redirect', 'app://heartbeat/assets/x.js')).toBe(false);
    expect(contents.emitPreventable('will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every new window and opens only http(s) links in the system browser', async () => {
    const { contents, opened } = hardened();
    for (const url of ['https://aws.amazon.com/', 'javascript:alert(1)', 'file:///etc/passwd', 'app://heartbeat/index.html', 'about:blank', 'http://127.0.0.1:8787/']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    await Promise.resolve();
    expect(opened).toEqual(['https://aws.amazon.com/', 'http://127.0.0.1:8787/']);
  });
});

describe('session hardening', () => {
  function session() {
    const calls: {
      request?: (c: unknown, p: string, cb: (g: boolean) => void, d: { requestingUrl?: string }) => void;
      check?: (c: unknown, p: string, o: string) => boolean;
      filter?: { urls: string[] };
      listener?: (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
    } = {};
    hardenSession({
      setPermissionRequestHandler: (h) => (calls.request = h),
      setPermissionCheckHandler: (h) => (calls.check = h),
      webRequest: { onBeforeRequest: (filter, listener) => Object.assign(calls, { filter, listener }) },
    });
    return calls;
  }

  it('denies permission requests and checks, but a clipboard write from our own page', () => {
    const calls = session();
    const granted = (permission: string, url = 'app://heartbeat/index.html') => {
      let answer: boolean | undefined;
      calls.request!({}, permission, (g) => (answer = g), { requestingUrl: url });
      return answer;
    };
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'fullscreen', 'midi', 'pointerLock', 'hid', 'serial', 'usb']) {
      expect(granted(permission), permission).toBe(false);
      expect(calls.check!({}, permission, 'app://heartbeat'), permission).toBe(false);
    }
    expect(granted('clipboard-sanitized-write')).toBe(true);
    expect(calls.check!({}, 'clipboard-sanitized-write', 'app://heartbeat')).toBe(true);
    expect(granted('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(calls.check!({}, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    expect(permissionGranted('clipboard-sanitized-write', undefined)).toBe(false);
  });

  it('cancels every http(s) and websocket request of the page', () => {
    const calls = session();
    expect(calls.filter?.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']));
    let answer: { cancel: boolean } | undefined;
    calls.listener!({ url: 'https://cdn.example/x.js' }, (r) => (answer = r));
    expect(answer).toEqual({ cancel: true });
  });
});
