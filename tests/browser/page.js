// What a front end on another origin does with the API, as plain fetch
// calls made by this page (tests/browser/index.html); tests/browser/cors.mjs
// drives it in headless Chromium and checks what each step saw. Every call
// is credentials: 'include', so the browser sends the session cookie and
// applies CORS to the answer as it would for a real site.
'use strict';

function log(line) {
    const el = document.getElementById('log');
    if (el) el.textContent += line + '\n';
}

// One API call. Resolves with what the script may see of the answer (the
// status, the body, and the headers CORS lets it read), or with
// {error} when fetch rejects: the browser refused the call or its answer.
async function call(api, method, path, opts = {}) {
    const headers = {};
    if (opts.body !== undefined) headers['Content-Type'] = opts.contentType || 'application/json';
    if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
    if (opts.ifMatch) headers['If-Match'] = opts.ifMatch;
    if (opts.ifNoneMatch) headers['If-None-Match'] = opts.ifNoneMatch;
    const init = { method, headers, credentials: 'include', mode: 'cors', cache: 'no-store' };
    if (opts.body !== undefined)
        init.body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    let res;
    try {
        res = await fetch(api + path, init);
    } catch (e) {
        log(`${method} ${path}: fetch rejected (${e.name}: ${e.message})`);
        return { error: `${e.name}: ${e.message}` };
    }
    const text = await res.text();
    let json = null;
    try {
        json = text ? JSON.parse(text) : null;
    } catch (e) {
        json = null;
    }
    const seen = {
        status: res.status,
        json,
        etag: res.headers.get('ETag'),
        location: res.headers.get('Location'),
        requestId: res.headers.get('X-Request-Id'),
        rateLimit: res.headers.get('RateLimit'),
        // not exposed: a script never reads it, whatever the server sends
        setCookie: res.headers.get('Set-Cookie'),
    };
    log(`${method} ${path}: ${res.status}`);
    return seen;
}

const recipe = (title) => ({
    title,
    description: 'Made by the CORS test page',
    servings: 2,
    prep_minutes: 5,
    cook_minutes: 10,
    ingredients: [{ name: 'flour', quantity: 1, unit: 'cup' }],
    steps: ['Mix.', 'Bake.'],
    tags: ['browser'],
});

// The allowed page's story: register, log in again, create a recipe, read
// it back with its ETag, update it with If-Match; and the errors a page must
// be able to read (a stale If-Match, a missing CSRF token).
async function rbStory(api, name) {
    const out = {};
    const password = 'correct horse battery staple';
    const reg = await call(api, 'POST', '/api/v1/auth/register', {
        body: { username: name, email: `${name}@example.org`, password },
    });
    out.register = reg;
    let csrf = reg.json && reg.json.csrf_token;
    out.sessionAfterRegister = await call(api, 'GET', '/api/v1/auth/session');
    out.logout = await call(api, 'POST', '/api/v1/auth/logout', { csrf });
    out.sessionAfterLogout = await call(api, 'GET', '/api/v1/auth/session');
    const login = await call(api, 'POST', '/api/v1/auth/login', {
        body: { login: name, password },
    });
    out.login = login;
    csrf = login.json && login.json.csrf_token;
    out.session = await call(api, 'GET', '/api/v1/auth/session');
    const created = await call(api, 'POST', '/api/v1/recipes', {
        body: recipe('Browser bread'),
        csrf,
    });
    out.create = created;
    const id = created.json && created.json.id;
    const path = `/api/v1/recipes/${id}`;
    const read = await call(api, 'GET', path);
    out.read = read;
    out.notModified = await call(api, 'GET', path, { ifNoneMatch: read.etag });
    out.update = await call(api, 'PATCH', path, {
        body: { title: 'Browser bread, better' },
        contentType: 'application/merge-patch+json',
        ifMatch: read.etag,
        csrf,
    });
    out.readAgain = await call(api, 'GET', path);
    out.staleUpdate = await call(api, 'PATCH', path, {
        body: { title: 'Browser bread, lost update' },
        contentType: 'application/merge-patch+json',
        ifMatch: read.etag,
        csrf,
    });
    out.noCsrf = await call(api, 'POST', '/api/v1/recipes', { body: recipe('No token') });
    return out;
}

// The same calls from a page whose origin is not allowed: each one is
// refused by the browser (fetch rejects), whether or not it was sent.
async function rbForeign(api, name) {
    return {
        session: await call(api, 'GET', '/api/v1/auth/session'),
        health: await call(api, 'GET', '/healthz'),
        // needs a preflight, which gets no CORS headers: never sent
        register: await call(api, 'POST', '/api/v1/auth/register', {
            body: { username: name, email: `${name}@example.org`, password: 'a long pass phrase' },
        }),
        // a "simple" request is sent without a preflight; the server's
        // Origin check refuses it, and the browser hides the answer
        registerPlain: await call(api, 'POST', '/api/v1/auth/register', {
            body: JSON.stringify({
                username: `${name}p`,
                email: `${name}p@example.org`,
                password: 'a long pass phrase',
            }),
            contentType: 'text/plain',
        }),
    };
}

window.rbStory = rbStory;
window.rbForeign = rbForeign;
