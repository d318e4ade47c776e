// The Swagger UI test: headless Chromium (Debian's, through playwright-core)
// opens the /docs/ page that the nginx test stack serves on its own random
// port (tests/support/front.sh) and uses the API only by clicking the page,
// as a reader would: expand an operation, "Try it out", fill the parameters
// and the body, "Execute", read the status the page shows. The story:
// register, log out, log in, create a recipe, find it by search, upload an
// image through the page's file input (a raw image/png body), and load the
// image the answer names. The writes go through only because the page
// itself adds X-CSRF-Token (docs/swagger/swagger-initializer.js; the spec
// does not make the field required), and the calls reach the port the page
// came from only because the spec's server is relative. Any console error
// fails the test, except the one 401 of the page's session check at load.
// tests/support/browser.sh installs swagger-ui-dist and runs this:
//
//   node swagger.mjs DOCS_URL        e.g. http://127.0.0.1:41234/docs/
//
// Prints one line per check and "swagger: N checks passed, M failed (T ms)";
// exits 1 when any check failed (2 when the browser could not be driven).
import { withPage } from './chromium.mjs';


const [docsUrl] = process.argv.slice(2);
if (!docsUrl) {
    console.error('usage: node swagger.mjs DOCS_URL');
    process.exit(2);
}
const origin = new URL(docsUrl).origin;

const STEP_MS = 20000; // one click's answer; the whole run has a watchdog

let passed = 0;
let failed = 0;
const started = Date.now();
function check(ok, what, seen) {
    if (ok) {
        passed++;
        console.log(`ok   ${what} [${Date.now() - started} ms]`);
    } else {
        failed++;
        console.log(`FAIL ${what}: saw ${JSON.stringify(seen)}`);
    }
    return ok;
}

// Console errors: the first GET /api/v1/auth/session at load answers 401
// (nobody is logged in yet) and Chromium logs that as an error; that one is
// expected, once, before anyone logs in. Everything else counts.
const consoleErrors = [];
let sessionCheck401 = 0;
let loggedIn = false;
function watchConsole(page) {
    page.on('console', (m) => {
        if (m.type() !== 'error') return;
        const url = (m.location() && m.location().url) || '';
        if (!loggedIn && sessionCheck401 === 0 && / 401 /.test(m.text()) &&
            url === `${origin}/api/v1/auth/session`) {
            sessionCheck401++;
            return;
        }
        consoleErrors.push(`${m.text()} (${url})`);
    });
    page.on('pageerror', (e) => consoleErrors.push(`uncaught: ${e.message}`));
}

// The operation block of TAG/OPERATION_ID, expanded, with "Try it out" on.
async function tryOut(page, tag, operationId) {
    const op = page.locator(`#operations-${tag}-${operationId}`);
    await op.locator('.opblock-summary-control').click();
    await op.locator('button.try-out__btn').click();
    return op;
}

// Fills the parameter NAME (in: WHERE) of an expanded operation.
async function param(op, name, where, value) {
    await op.locator(`tr[data-param-name="${name}"][data-param-in="${where}"] input`).fill(value);
}

// Clicks "Execute" and reads what the page shows: the status from the
// response code element, the request URL and the response body text.
async function execute(op) {
    await op.locator('button.execute').click();
    const status = op.locator('.live-responses-table tr.response .response-col_status').first();
    await status.waitFor({ timeout: STEP_MS });
    const code = parseInt((await status.textContent()).trim(), 10);
    const url = (await op.locator('.request-url pre').first().textContent()).trim();
    const bodyEl = op.locator('.live-responses-table .response-col_description .highlight-code pre');
    const text = (await bodyEl.count()) > 0 ? await bodyEl.first().textContent() : '';
    let json = null;
    try {
        json = JSON.parse(text);
    } catch {
        json = null;
    }
    return { code, url, json };
}

// A small PNG made by the page's own canvas, as bytes for the file input.
async function pngBytes(page) {
    const b64 = await page.evaluate(() => {
        const c = document.createElement('canvas');
        c.width = 64;
        c.height = 48;
        const g = c.getContext('2d');
        g.fillStyle = '#c84';
        g.fillRect(0, 0, 64, 48);
        g.fillStyle = '#248';
        g.fillRect(8, 8, 24, 16);
        return c.toDataURL('image/png').split(',')[1];
    });
    return Buffer.from(b64, 'base64');
}

async function story(page, tag) {
    const user = `sw${tag}`;
    const password = `swagger page ${tag} secret`;
    const word = `swz${tag.replace(/[0-9]/g, (d) => 'abcdefghij'[d])}`; // FULLTEXT: letters

    const t0 = Date.now();
    await page.goto(docsUrl, { timeout: 30000 });
    await page.locator('#operations-auth-register').waitFor({ timeout: STEP_MS });
    check(true, `/docs/ loaded with its operations (${Date.now() - t0} ms)`);
    const names = await page.locator('h3.opblock-tag').evaluateAll((hs) => hs.map((h) => h.dataset.tag));
    // the spec's own tags, in its order (the seven first; branches add more)
    const specTags = await page.evaluate(async () =>
        (await (await fetch('/api/v1/openapi.json')).json()).tags.map((t) => t.name));
    const seven = ['auth', 'users', 'recipes', 'comments', 'images', 'admin', 'ops'];
    check(JSON.stringify(names) === JSON.stringify(specTags) &&
        JSON.stringify(names.slice(0, 7)) === JSON.stringify(seven),
        "operations grouped by the spec's tags, in order, the seven first", names);
    check((await page.locator('[id^="operations-"][id*="test"]').count()) === 0,
        'no test-only operation on the page', null);

    let op = await tryOut(page, 'auth', 'register');
    await op.locator('textarea.body-param__text').fill(JSON.stringify(
        { username: user, email: `${user}@example.org`, password }));
    let r = await execute(op);
    loggedIn = true;
    check(r.code === 201, 'register: 201', r.code);
    check(r.url === `${origin}/api/v1/auth/register`,
        'the relative server resolves to the port the page came from', r.url);

    op = await tryOut(page, 'auth', 'logout');
    r = await execute(op);
    check(r.code === 204, 'logout (X-CSRF-Token left empty: the page sends it): 204', r.code);

    op = await tryOut(page, 'auth', 'login');
    await op.locator('textarea.body-param__text').fill(JSON.stringify({ login: user, password }));
    r = await execute(op);
    check(r.code === 200 && typeof r.json?.csrf_token === 'string', 'login: 200 with a csrf_token', r);

    op = await tryOut(page, 'recipes', 'createRecipe');
    await op.locator('textarea.body-param__text').fill(JSON.stringify({
        title: `${word} pancakes`,
        description: 'Made through the Swagger UI',
        ingredients: [{ name: 'flour', quantity: 200, unit: 'g' }, { name: 'milk' }],
        steps: ['Mix.', 'Fry.'],
    }));
    r = await execute(op);
    const id = r.json?.id;
    check(r.code === 201 && id > 0, 'create a recipe: 201 with its id', r.code);

    op = await tryOut(page, 'recipes', 'listRecipes');
    await param(op, 'q', 'query', word);
    r = await execute(op);
    const ids = (r.json?.items || []).map((i) => i.id);
    check(r.code === 200 && ids.length === 1 && ids[0] === id, 'search finds it: 200, that one recipe',
        { code: r.code, ids });

    op = await tryOut(page, 'images', 'putRecipeImage');
    await param(op, 'id', 'path', String(id));
    await op.locator('.opblock-section-request-body select').selectOption('image/png');
    await op.locator('.opblock-section-request-body input[type="file"]').setInputFiles(
        { name: 'pancakes.png', mimeType: 'image/png', buffer: await pngBytes(page) });
    r = await execute(op);
    const imageUrl = r.json?.image?.url;
    check(r.code === 200 && typeof imageUrl === 'string', 'upload the image through the file input: 200', r);
    check(r.json?.image?.width === 64 && r.json?.image?.height === 48, 'the image is the one sent (64x48)',
        r.json?.image);

    if (typeof imageUrl === 'string') {
        const width = await page.evaluate((src) => new Promise((resolve) => {
            const img = new Image();
            img.onload = () => resolve(img.naturalWidth);
            img.onerror = () => resolve(-1);
            img.src = src;
        }), imageUrl);
        check(width > 0, `the image loads in the page (${imageUrl}, naturalWidth ${width})`, width);
    }
}

async function main() {
    await withPage('swagger', async (page) => {
        page.setDefaultTimeout(STEP_MS);
        watchConsole(page);
        await story(page, `${process.pid % 100000}${Date.now() % 100000}`);
        check(sessionCheck401 === 1, 'the page\'s session check at load answered 401 (logged, expected)',
            sessionCheck401);
        check(consoleErrors.length === 0, 'no other console error', consoleErrors);
    });
    console.log(`swagger: ${passed} checks passed, ${failed} failed (${Date.now() - started} ms)`);
    process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((e) => {
    console.error(`swagger: ${e.stack || e}`);
    console.log(`swagger: ${passed} checks passed, ${failed} failed; stopped: ${e.message}`);
    process.exit(2);
});
