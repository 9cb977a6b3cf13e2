// Build of the dashboard front-end: `npm run build:dashboard` writes dashboard/dist, which is
// committed so that `fleetrl dashboard` needs no build step.
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  // `npx vite dashboard` serves the sources with hot reload; the API comes from a running
  // `fleetrl dashboard` on its default port.
  server: {
    proxy: { "/api": "http://127.0.0.1:8787", "/files": "http://127.0.0.1:8787" },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: true,
  },
});
