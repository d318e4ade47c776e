// Headless Chromium for the browser tests: Debian's chromium driven by npm
// playwright-core (installed into build/node by tests/support/node.sh),
// launched with the flags a machine without outside network needs, in a
// fresh profile that is removed afterwards, under a watchdog.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const prefix =
    process.env.RB_NODE_PREFIX || fileURLToPath(new URL('../../build/node/', import.meta.url));
const require = createRequire(join(prefix, 'node_modules', '.rb-resolve.js'));
const { chromium } = require('playwright-core');

// no outside network here: without these Chromium waits on lookups
const ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];

// Runs fn(page) in a new browser; after 180 s the process exits 2, its
// message prefixed with name.
export async function withPage(name, fn) {
    const dir = mkdtempSync(join(tmpdir(), 'rb-chromium-'));
    let context;
    const watchdog = setTimeout(() => {
        console.error(`${name}: no result after 180 s`);
        process.exit(2);
    }, 180000);
    try {
        context = await chromium.launchPersistentContext(dir, {
            executablePath: process.env.RB_CHROMIUM || '/usr/bin/chromium',
            headless: true,
            args: ARGS,
            timeout: 60000,
        });
        await fn(await context.newPage());
    } finally {
        clearTimeout(watchdog);
        if (context) await context.close();
        rmSync(dir, { recursive: true, force: true });
    }
}
