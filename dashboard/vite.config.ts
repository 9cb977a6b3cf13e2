// Build of the dashboard front-end: `npm run build:dashboard` writes dashboard/dist, which is
// committed so that `fleetrl dashboard` needs no build step.
import { defineConfig } from "vite";

export default defineConfig({
  root: import.meta.dirname,
  base: "./",
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: true,
  },
});
