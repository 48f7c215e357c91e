/** The application menu's template: View → Presenter Mode (CmdOrCtrl+Shift+P) hands the page its command. */
import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { menuTemplate, type MenuActions } from '../../electron/menu.ts';

describe('the application menu', () => {
  it('View has Presenter Mode with its shortcut, which calls the presenter action', () => {
    const called: string[] = [];
    const actions = new Proxy({} as MenuActions, { get: (_t, name: string) => () => called.push(name) });
    const template = menuTemplate(actions, { mac: false, devTools: false });
    const view = template.find((m) => m.label === '&View')!;
    const item = (view.submenu as MenuItemConstructorOptions[]).find((i) => i.label === 'Presenter Mode')!;
    expect(item.accelerator).toBe('CmdOrCtrl+Shift+P');
    (item.click as () => void)();
    expect(called).toEqual(['presenter']);
  });
});
