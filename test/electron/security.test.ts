/** The hardening of webContents and session: navigation, new windows, webviews, links, permissions, devices, network. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  DOCUMENTATION_LINKS,
  externalUrl,
  hardenContents,
  hardenSession,
  isDocumentationLink,
  permissionGranted,
} from '../../electron/security.ts';
import { FakeWebContents } from './fake-electron.ts';

/** `confirmed`: what the user answers in the native confirmation (every question is recorded). */
function hardened(confirmed = true) {
  const contents = new FakeWebContents();
  const opened: string[] = [];
  const asked: string[] = [];
  hardenContents(contents, { openExternal: async (url) => void opened.push(url) }, async (url) => (asked.push(url), confirmed));
  return { contents, opened, asked };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('external links', () => {
  it('accepts only http(s) URLs with a host and no credentials', () => {
    expect(externalUrl('https://docs.aws.amazon.com/sagemaker/')).toBe('https://docs.aws.amazon.com/sagemaker/');
    expect(externalUrl('http://example.com')).toBe('http://example.com/');
    for (const bad of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'app://heartbeat/index.html',
      'data:text/html,hi',
      'vbscript:x',
      'smb://host/share',
      'https://user:pw@example.com/',
      'not a url',
      'https://' + 'a'.repeat(2100) + '.com',
    ]) {
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

  it('prevents the navigation of every frame (will-frame-navigate), sub-frames included', () => {
    const { contents } = hardened();
    // Electron passes one event object carrying url, isMainFrame and frame.
    const navigate = (url: string, isMainFrame: boolean) => {
      let prevented = false;
      contents.emit('will-frame-navigate', { url, isMainFrame, frame: null, preventDefault: () => (prevented = true) });
      return prevented;
    };
    expect(navigate('https://evil.example/', false)).toBe(true);
    expect(navigate('app://heartbeat/index.html', false)).toBe(true);
    expect(navigate('file:///etc/passwd', true)).toBe(true);
  });

  it('cancels every Bluetooth device picker instead of letting Electron pick the first device', () => {
    const { contents } = hardened();
    const picked: unknown[][] = [];
    expect(
      contents.emitPreventable('select-bluetooth-device', [{ deviceId: 'ab:cd', deviceName: 'Heart rate' }], (...id: unknown[]) =>
        picked.push(id),
      ),
    ).toBe(true);
    expect(picked).toEqual([['']]);
  });

  it('prevents redirects away from the app origin and every <webview>', () => {
    const { contents } = hardened();
    expect(contents.emitPreventable('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.emitPreventable('will-redirect', 'app://heartbeat/assets/x.js')).toBe(false);
    expect(contents.emitPreventable('will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every new window and opens only http(s) links in the system browser', async () => {
    const { contents, opened } = hardened();
    for (const url of [
      'https://aws.amazon.com/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'app://heartbeat/index.html',
      'about:blank',
      'http://127.0.0.1:8787/',
    ]) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    await settled();
    expect(opened).toEqual(['https://aws.amazon.com/', 'http://127.0.0.1:8787/']);
  });

  it("opens the app's own documentation links at once, and any other link only when the user confirms it", async () => {
    const doc = 'https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_edge_SendHeartbeat.html';
    const declined = hardened(false);
    for (const url of [
      doc,
      'https://evil.example/phish',
      'http://docs.aws.amazon.com/sagemaker/',
      'https://docs.aws.amazon.com.evil.example/sagemaker/',
      'https://docs.aws.amazon.com:8443/sagemaker/',
      'https://docs.aws.amazon.com/other-service/',
    ]) {
      expect(declined.contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' });
    }
    await settled();
    expect(declined.opened).toEqual([doc]);
    expect(declined.asked).toEqual([
      'https://evil.example/phish',
      'http://docs.aws.amazon.com/sagemaker/',
      'https://docs.aws.amazon.com.evil.example/sagemaker/',
      'https://docs.aws.amazon.com:8443/sagemaker/',
      'https://docs.aws.amazon.com/other-service/',
    ]);

    const accepted = hardened(true);
    accepted.contents.windowOpenHandler?.({ url: 'https://evil.example/phish' });
    accepted.contents.windowOpenHandler?.({ url: 'javascript:alert(1)' });
    await settled();
    expect(accepted.asked).toEqual(['https://evil.example/phish']);
    expect(accepted.opened).toEqual(['https://evil.example/phish']);

    expect(DOCUMENTATION_LINKS.every((prefix) => prefix.startsWith('https://docs.aws.amazon.com/'))).toBe(true);
    expect(isDocumentationLink('https://user:pw@docs.aws.amazon.com/sagemaker/')).toBe(false);
  });
});

describe('session hardening', () => {
  function session() {
    const events = new EventEmitter();
    const calls: {
      request?: (c: unknown, p: string, cb: (g: boolean) => void, d: { requestingUrl?: string }) => void;
      check?: (c: unknown, p: string, o: string) => boolean;
      device?: (details: unknown) => boolean;
      events: EventEmitter;
      filter?: { urls: string[] };
      listener?: (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void;
    } = { events };
    hardenSession({
      setPermissionRequestHandler: (h) => (calls.request = h),
      setPermissionCheckHandler: (h) => (calls.check = h),
      setDevicePermissionHandler: (h) => (calls.device = h),
      on: (event, listener) => events.on(event, listener),
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
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'openExternal',
      'clipboard-read',
      'fullscreen',
      'midi',
      'pointerLock',
      'hid',
      'serial',
      'usb',
    ]) {
      expect(granted(permission), permission).toBe(false);
      expect(calls.check!({}, permission, 'app://heartbeat'), permission).toBe(false);
    }
    expect(granted('clipboard-sanitized-write')).toBe(true);
    expect(calls.check!({}, 'clipboard-sanitized-write', 'app://heartbeat')).toBe(true);
    expect(granted('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(calls.check!({}, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
    expect(permissionGranted('clipboard-sanitized-write', undefined)).toBe(false);
  });

  it('denies every device: the device permission handler says no, and HID, serial and USB pickers are cancelled', () => {
    const calls = session();
    for (const deviceType of ['hid', 'serial', 'usb'])
      expect(calls.device?.({ deviceType, origin: 'app://heartbeat', device: {} }), deviceType).toBe(false);
    const pick = (event: string, ...args: unknown[]) => {
      let prevented = false;
      const answers: unknown[][] = [];
      calls.events.emit(event, { preventDefault: () => (prevented = true) }, ...args, (...answer: unknown[]) => answers.push(answer));
      return { prevented, answers };
    };
    // HID and USB cancel with no argument, serial with an empty port id (as Electron documents each).
    expect(pick('select-hid-device', { deviceList: [{ deviceId: 'hid-1' }], frame: null })).toEqual({ prevented: true, answers: [[]] });
    expect(pick('select-usb-device', { deviceList: [{ deviceId: 'usb-1' }], frame: null })).toEqual({ prevented: true, answers: [[]] });
    expect(pick('select-serial-port', [{ portId: 'ttyS0' }], {})).toEqual({ prevented: true, answers: [['']] });
  });

  it('cancels every http(s) and websocket request of the page', () => {
    const calls = session();
    expect(calls.filter?.urls).toEqual(expect.arrayContaining(['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*']));
    let answer: { cancel: boolean } | undefined;
    calls.listener!({ url: 'https://cdn.example/x.js' }, (r) => (answer = r));
    expect(answer).toEqual({ cancel: true });
  });
});
