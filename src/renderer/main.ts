/** Entry point: choose the platform, create the stores, mount the app. */
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { createPlatform, currentEnvironment } from './platform/index.ts';
import { PLATFORM_KEY } from './composables/platform.ts';
import './styles/theme.css';

const platform = createPlatform(currentEnvironment());
createApp(App).use(createPinia()).provide(PLATFORM_KEY, platform).mount('#app');
