import { defineConfig } from 'vitest/config';

export default defineConfig({
  build: {
    // Straight into Maven's classes folder, so the module's jar carries the app under web/,
    // which is where room-server looks for it on the classpath.
    outDir: 'target/classes/web',
    emptyOutDir: true,
  },
  server: {
    // `npm run dev` serves the app with hot reload and forwards API calls to a local server.
    proxy: {
      '/api': 'http://127.0.0.1:8080',
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
  },
});
