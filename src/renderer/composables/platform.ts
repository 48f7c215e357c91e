/** The platform, provided once by main.ts and injected where I/O is needed. */
import { inject, type InjectionKey } from 'vue';
import type { Platform } from '../platform/index.ts';
import { createOfflineApi } from '../platform/offline.ts';

export const PLATFORM_KEY: InjectionKey<Platform> = Symbol('platform');

export function usePlatform(): Platform {
  return inject(PLATFORM_KEY, () => ({ kind: 'offline' as const, api: createOfflineApi() }), true);
}
