/**
 * A modal <dialog>: showModal (or the `open` attribute where it is missing, as in jsdom), Escape and
 * the close button close it, the first field gets the focus, and the focus goes back to the opener.
 */
import { nextTick, shallowRef, type ShallowRef } from 'vue';

export interface ModalDialog {
  isOpen: Readonly<ShallowRef<boolean>>;
  open: () => Promise<void>;
  close: () => void;
  /** Bind to the dialog's `close` event (the platform closed it). */
  onClosed: () => void;
  /** Bind to the dialog's `cancel` and `keydown` events: Escape closes. */
  onCancel: (event: Event) => void;
  onKeydown: (event: KeyboardEvent) => void;
}

export function useModalDialog(
  dialog: Readonly<ShallowRef<HTMLDialogElement | null>>,
  options: { initialFocus?: () => HTMLElement | null | undefined; onOpen?: () => void; onClose?: () => void } = {},
): ModalDialog {
  const isOpen = shallowRef(false);
  let opener: Element | null = null;

  async function open(): Promise<void> {
    const el = dialog.value;
    if (!el || isOpen.value) return;
    opener = document.activeElement;
    if (typeof el.showModal === 'function') el.showModal();
    else el.setAttribute('open', '');
    isOpen.value = true;
    options.onOpen?.();
    await nextTick();
    options.initialFocus?.()?.focus();
  }

  function onClosed(): void {
    if (!isOpen.value) return;
    isOpen.value = false;
    options.onClose?.();
    const back = opener;
    opener = null;
    if (back instanceof HTMLElement && back.isConnected) back.focus();
  }

  function close(): void {
    const el = dialog.value;
    if (el?.hasAttribute('open')) {
      if (typeof el.close === 'function') el.close();
      else el.removeAttribute('open');
    }
    onClosed();
  }

  return {
    isOpen,
    open,
    close,
    onClosed,
    onCancel(event) {
      event.preventDefault();
      close();
    },
    onKeydown(event) {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      close();
    },
  };
}
