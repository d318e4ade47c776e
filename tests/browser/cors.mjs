// The real-browser CORS test: headless Chromium (Debian's, through
// playwright-core) opens tests/browser/index.html from an allowed origin
// and from one that is not allowed, runs page.js's calls against the API,
// and checks what the page could see. tests/support/browser.sh serves the
// pages and runs this:
//
//   node cors.mjs API_URL ALLOWED_PAGE_URL FOREIGN_PAGE_URL
//
// Prints one line per check and "browser: N checks passed, M failed"; exits 1 when
// any check failed (2 when the browser could not be driven at all).
import { withPage } from './chromium.mjs';


const [api, allowedPage, foreignPage] = process.argv.slice(2);
if (!api || !allowedPage || !foreignPage) {
    console.error('usage: node cors.mjs API_URL ALLOWED_PAGE_URL FOREIGN_PAGE_URL');
    process.exit(2);
}


let passed = 0;
let failed = 0;
function check(ok, what, seen) {
    if (ok) {
        passed++;
        console.log(`ok   ${what}`);
    } else {
        failed++;
        console.log(`FAIL ${what}: saw ${JSON.stringify(seen)}`);
    }
}

// The allowed page: every step works, and the page reads what CORS exposes.
function checkStory(s) {
    check(s.register.status === 201 && typeof s.register.json?.csrf_token === 'string',
        'register: 201 with a CSRF token', s.register);
    check(s.register.setCookie === null, 'Set-Cookie is never readable by the page', s.register);
    check(s.sessionAfterRegister.status === 200,
        'the session cookie is sent cross-origin (credentials: include)', s.sessionAfterRegister);
    check(s.logout.status === 204, 'logout with X-CSRF-Token: 204', s.logout);
    check(s.sessionAfterLogout.status === 401, 'after logout: 401, readable', s.sessionAfterLogout);
    check(s.login.status === 200 && typeof s.login.json?.csrf_token === 'string',
        'login: 200 with a CSRF token', s.login);
    check(s.session.status === 200, 'the new session cookie is sent', s.session);
    check(s.create.status === 201 && s.create.json?.id > 0,
        'create a recipe with X-CSRF-Token: 201', s.create);
    check(typeof s.create.location === 'string' && s.create.location.endsWith(`/${s.create.json?.id}`),
        'Location is exposed', s.create);
    check(typeof s.create.requestId === 'string' && s.create.requestId.length > 0,
        'X-Request-Id is exposed', s.create);
    check(s.read.status === 200 && s.read.json?.title === 'Browser bread',
        'read it back: 200', s.read);
    check(typeof s.read.etag === 'string' && s.read.etag.startsWith('"'), 'ETag is exposed', s.read);
    check(typeof s.read.rateLimit === 'string', 'RateLimit is exposed', s.read);
    check(s.notModified.status === 304, 'If-None-Match (preflighted): 304', s.notModified);
    check(s.update.status === 200 && s.update.json?.title === 'Browser bread, better',
        'PATCH with If-Match: 200', s.update);
    check(typeof s.update.etag === 'string' && s.update.etag !== s.read.etag,
        'the update has a new ETag', s.update);
    check(s.readAgain.json?.title === 'Browser bread, better', 'the update is stored', s.readAgain);
    check(s.staleUpdate.status === 412 && s.staleUpdate.json?.status === 412,
        'a stale If-Match: 412, and the page reads the problem', s.staleUpdate);
    check(s.noCsrf.status === 403 && typeof s.noCsrf.json?.detail === 'string',
        'no X-CSRF-Token: 403, and the page reads why', s.noCsrf);
}

// The page on an origin that is not allowed: the browser refuses each call.
function checkForeign(f) {
    for (const k of ['session', 'health', 'register', 'registerPlain'])
        check(typeof f[k].error === 'string' && f[k].status === undefined,
            `foreign origin: ${k} is refused by the browser (fetch rejects)`, f[k]);
}

// From node (no CORS here): an account the foreign page tried to make.
async function userStatus(name) {
    const res = await fetch(`${api}/api/v1/users/${name}`);
    return res.status;
}

async function main() {
    await withPage('browser', async (page) => {
        page.on('console', (m) => console.log(`page: ${m.text()}`));
        const tag = `${process.pid % 100000}${Date.now() % 100000}`;

        await page.goto(allowedPage, { timeout: 30000 });
        const story = await page.evaluate(([a, n]) => window.rbStory(a, n), [api, `brw${tag}`]);
        checkStory(story);

        await page.goto(foreignPage, { timeout: 30000 });
        const foreign = await page.evaluate(([a, n]) => window.rbForeign(a, n), [api, `brf${tag}`]);
        checkForeign(foreign);
        check((await userStatus(`brf${tag}`)) === 404, 'the preflighted registration never reached the server', null);
        check((await userStatus(`brf${tag}p`)) === 404, 'the simple registration was refused by the Origin check', null);
        check((await userStatus(`brw${tag}`)) === 200, 'the allowed page\'s account exists', null);
    });
    console.log(`browser: ${passed} checks passed, ${failed} failed`);
    process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch((e) => {
    console.error(`browser: ${e.stack || e}`);
    process.exit(2);
});
