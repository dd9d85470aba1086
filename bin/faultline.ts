#!/usr/bin/env node
// Kept for scripts that name the TypeScript entry; the launcher checks the Node version first.
import './faultline.js';
