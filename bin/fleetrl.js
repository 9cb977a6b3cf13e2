#!/usr/bin/env node
// Entry for `npx fleetrl` / the package bin: runs the TypeScript CLI through tsx's loader.
import { register } from "tsx/esm/api";
register();
await import("../src/cli/main.ts");
