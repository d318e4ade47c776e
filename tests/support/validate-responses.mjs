// Checks every exchange the integration suites logged (RB_EXCHANGE_LOG, one
// JSON line each: method, url, status, content_type, body) against an
// OpenAPI 3.1 document:
//
//   node validate-responses.mjs SPEC.yaml LOG.jsonl [LOG.jsonl...]
//
// An exchange fails when its path or method is not in the spec, its status
// is not documented (exact code, then 4XX-style range, then default), its
// media type (without parameters) is not documented for that status, or its
// body does not validate against that media type's schema (JSON bodies are
// parsed; others are validated as a string). Responses without a body (HEAD,
// 1xx, 204, 304) are only checked for status. Skipped, and counted: 502,
// 504 and a non-JSON 503 (the front server's pages, not the API's) and urls under a prefix listed in
// the spec's top-level `x-not-validated` (strings, or objects with `path`).
// Paths are matched after RFC 3986 normalization (unreserved %XX decoded, dot
// segments removed). Prints each distinct failure (method, path template,
// status, reason) once, with its first url, count and log files, then
// "responses validated: N, failed: M" (N counts every exchange checked) and
// exits 1 when M > 0 (2 on a usage or setup error).
//
// ajv, ajv-formats and yaml come from build/node (validate-responses.sh
// installs them), or from the prefix named by RB_NODE_PREFIX.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const prefix =
    process.env.RB_NODE_PREFIX || fileURLToPath(new URL('../../build/node/', import.meta.url));
const require = createRequire(join(prefix, 'node_modules', '.rb-resolve.js'));
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;
const YAML = require('yaml');

const [specFile, ...logs] = process.argv.slice(2);
if (!specFile || logs.length === 0) {
    console.error('usage: node validate-responses.mjs SPEC.yaml LOG.jsonl [LOG.jsonl...]');
    process.exit(2);
}

const spec = YAML.parse(readFileSync(specFile, 'utf8'));
const SPEC_ID = 'https://recipebox.invalid/openapi.json';
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// JSON pointer helpers (RFC 6901) over the spec
const esc = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');
const unesc = (s) => s.replace(/~1/g, '/').replace(/~0/g, '~');
function at(ptr) {
    let v = spec;
    for (const part of ptr.split('/').slice(1)) {
        if (v === null || typeof v !== 'object') return undefined;
        v = v[unesc(decodeURIComponent(part))];
    }
    return v;
}
// Follows local $refs ("#/components/responses/X"); returns [object, pointer].
function deref(obj, ptr) {
    for (let hops = 0; obj && typeof obj === 'object' && typeof obj.$ref === 'string'; hops++) {
        if (!obj.$ref.startsWith('#/') || hops > 20) throw new Error(`unsupported $ref ${obj.$ref} at ${ptr}`);
        ptr = obj.$ref.slice(1);
        obj = at(ptr);
    }
    return [obj, ptr];
}

// Path templates: literal segments beat templated ones, left to right.
const templates = Object.keys(spec.paths || {}).map((tpl) => {
    const segs = tpl.split('/').map((seg) => {
        if (!seg.includes('{')) return { literal: seg };
        const re = seg
            .split(/(\{[^}]*\})/)
            .map((p) => (p.startsWith('{') ? '[^/]+' : p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
            .join('');
        return { re: new RegExp(`^${re}$`) };
    });
    return { tpl, segs };
});
function matchPath(path) {
    const parts = path.split('/');
    let best = null;
    for (const t of templates) {
        if (t.segs.length !== parts.length) continue;
        const rank = [];
        let ok = true;
        for (let i = 0; ok && i < parts.length; i++) {
            const s = t.segs[i];
            if (s.literal !== undefined) {
                ok = s.literal === parts[i];
                rank.push(1);
            } else {
                ok = s.re.test(parts[i]);
                rank.push(0);
            }
        }
        if (!ok) continue;
        if (best === null || rank.join('') > best.rank.join('')) best = { tpl: t.tpl, rank };
    }
    return best && best.tpl;
}

const notValidated = (Array.isArray(spec['x-not-validated']) ? spec['x-not-validated'] : [])
    .map((e) => (typeof e === 'string' ? e : e && e.path))
    .filter((e) => typeof e === 'string' && e.length > 0);

const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addSchema({ ...spec, $id: SPEC_ID });
const validators = new Map();
function validatorAt(ptr) {
    let v = validators.get(ptr);
    if (v === undefined) {
        v = ajv.getSchema(`${SPEC_ID}#${ptr.split('/').map(encodeURIComponent).join('/')}`);
        if (!v) throw new Error(`cannot compile the schema at ${ptr}`);
        validators.set(ptr, v);
    }
    return v;
}

const mediaType = (ct) => (ct || '').split(';')[0].trim().toLowerCase();
const isJson = (mt) => mt === 'application/json' || mt.endsWith('+json');

// RFC 3986 6.2.2 syntax-based normalization, so that equivalent paths
// ("/%68ealthz", "/./healthz", "/api/v1/../../healthz") match their template:
// percent-encoded unreserved characters decoded, then dot segments removed.
// Anything else ("//healthz", "/healthz/", "%2f") is matched as sent.
function normalize(path) {
    path = path.replace(/%([0-9A-Fa-f]{2})/g, (m, h) => {
        const c = String.fromCharCode(parseInt(h, 16));
        return /[A-Za-z0-9._~-]/.test(c) ? c : m.toUpperCase();
    });
    const out = [];
    let input = path;
    while (input.length > 0) { // remove_dot_segments, RFC 3986 5.2.4
        if (input.startsWith('../')) input = input.slice(3);
        else if (input.startsWith('./')) input = input.slice(2);
        else if (input.startsWith('/./')) input = input.slice(2);
        else if (input === '/.') input = '/';
        else if (input.startsWith('/../')) {
            input = input.slice(3);
            out.pop();
        } else if (input === '/..') {
            input = '/';
            out.pop();
        } else if (input === '.' || input === '..') input = '';
        else {
            const end = input.indexOf('/', input.startsWith('/') ? 1 : 0);
            const seg = end < 0 ? input : input.slice(0, end);
            out.push(seg);
            input = input.slice(seg.length);
        }
    }
    return out.join('');
}

// A method a path does not document. Every path answers OPTIONS with 204
// and any other method with 405 + Allow (a problem+json body), as the spec's
// info.description says; those two answers are checked here, once, instead
// of being repeated under every path.
function methodNotDocumented(x, tpl, item) {
    const allow = METHODS.filter((m) => item[m]).map((m) => m.toUpperCase());
    if (String(x.method).toUpperCase() === 'OPTIONS' && x.status === 204) return null;
    if (x.status !== 405)
        return { tpl, reason: `method ${x.method} not documented for ${tpl} (answered ${x.status})` };
    if (mediaType(x.content_type) !== 'application/problem+json')
        return { tpl, reason: `405 for ${x.method} ${tpl} is not problem+json` };
    const validate = validatorAt('/components/schemas/Problem');
    let body;
    try {
        body = JSON.parse(String(x.body));
    } catch (e) {
        return { tpl, reason: `405 body is not JSON (${e.message})` };
    }
    if (!validate(body)) return { tpl, reason: `405 body does not match Problem` };
    return allow.length > 0 ? null : { tpl, reason: 'no documented methods' };
}

// One exchange: null when it validates, else the reason.
function check(x) {
    const url = String(x.url);
    const path = normalize(url.split(/[?#]/)[0]);
    const tpl = matchPath(path);
    if (tpl === null) return { reason: 'path not in the spec' };
    const [item, itemPtr] = deref(spec.paths[tpl], `/paths/${esc(tpl)}`);
    const method = String(x.method).toLowerCase();
    let op = method;
    if (!(METHODS.includes(method) && item[method])) {
        if (method === 'head' && item.get) op = 'get';
        else return methodNotDocumented(x, tpl, item);
    }
    const responses = item[op].responses || {};
    const status = String(x.status);
    const key =
        [status, `${status[0]}XX`, `${status[0]}xx`, 'default'].find((k) => k in responses) ?? null;
    if (key === null) return { tpl, reason: `status ${status} not documented for ${op.toUpperCase()} ${tpl}` };
    const noBody = method === 'head' || x.status < 200 || x.status === 204 || x.status === 304;
    if (noBody) return null;
    const [resp, respPtr] = deref(responses[key], `${itemPtr}/${op}/responses/${esc(key)}`);
    const content = (resp && resp.content) || {};
    const mt = mediaType(x.content_type);
    const body = typeof x.body === 'string' ? x.body : '';
    const where = `${op.toUpperCase()} ${tpl} ${key}`;
    if (Object.keys(content).length === 0) {
        if (body === '' && !mt) return null;
        return { tpl, reason: `${where} documents no content, got ${mt || 'no Content-Type'} (${body.length} bytes)` };
    }
    if (!mt) return { tpl, reason: `no Content-Type; ${where} documents ${Object.keys(content).join(', ')}` };
    const ctKey =
        Object.keys(content).find((k) => mediaType(k) === mt) ??
        Object.keys(content).find((k) => mediaType(k) === `${mt.split('/')[0]}/*`) ??
        Object.keys(content).find((k) => mediaType(k) === '*/*');
    if (ctKey === undefined)
        return { tpl, reason: `Content-Type ${mt} not documented for ${where} (${Object.keys(content).join(', ')})` };
    const media = content[ctKey] || {};
    if (media.schema === undefined) return null;
    let value = body;
    if (isJson(mt)) {
        try {
            value = JSON.parse(body);
        } catch (e) {
            return { tpl, reason: `${where}: the ${mt} body is not JSON (${e.message})` };
        }
    }
    const validate = validatorAt(`${respPtr}/content/${esc(ctKey)}/schema`);
    if (validate(value)) return null;
    const errs = validate.errors
        .slice(0, 4)
        .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && e.params.allowedValues ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`)
        .join('; ');
    return { tpl, reason: `${where}: body does not match the schema: ${errs}` };
}

let checked = 0;
let failedCount = 0;
let skipped502 = 0;
let skippedExt = 0;
const failures = new Map(); // one line per distinct failure, with its count
function fail(key, where, file, line = key) {
    failedCount++;
    const f = failures.get(key);
    if (f) {
        f.count++;
        f.files.add(file);
    } else failures.set(key, { count: 1, where, line, files: new Set([file]) });
}

for (const file of logs) {
    let text;
    try {
        text = readFileSync(file, 'utf8');
    } catch (e) {
        console.error(`validate-responses: cannot read ${file}: ${e.message}`);
        process.exit(2);
    }
    const lines = text.split('\n');
    for (let i = 0; i < lines.length; i++) {
        if (lines[i].trim() === '') continue;
        const where = `${file}:${i + 1}`;
        const base = basename(file);
        let x;
        try {
            x = JSON.parse(lines[i]);
        } catch (e) {
            checked++;
            fail(`unreadable log line (${e.message})`, where, base);
            continue;
        }
        const path = String(x.url).split(/[?#]/)[0];
        // the front server's own pages: 502/504, and a 503 that is not
        // problem+json (the API answers every 503 with problem+json)
        const frontPage =
            x.status === 502 || x.status === 504 ||
            (x.status === 503 && !/json/.test(String(x.content_type || "")));
        if (frontPage) {
            skipped502++;
            continue;
        }
        if (notValidated.some((p) => path.startsWith(p))) {
            skippedExt++;
            continue;
        }
        checked++;
        let r;
        try {
            r = check(x);
        } catch (e) {
            r = { reason: `validator error: ${e.message}` };
        }
        if (r !== null) {
            const url = String(x.url).length > 120 ? `${String(x.url).slice(0, 120)}...` : x.url;
            // the same failure on other urls of the same template is counted, not repeated
            fail(`${x.method} ${r.tpl || path} ${x.status}: ${r.reason}`, where, base,
                `${x.method} ${url} ${x.status}: ${r.reason}`);
        }
    }
}

for (const f of failures.values()) {
    const more = f.count > 1 ? ` (${f.count} like it, in ${[...f.files].join(' ')})` : '';
    console.log(`FAIL ${f.line}${more}  [${f.where}]`);
}
if (skipped502 + skippedExt > 0)
    console.log(`skipped: ${skipped502 + skippedExt} (${skipped502} front-server pages 502/503/504, ${skippedExt} under x-not-validated)`);
console.log(`responses validated: ${checked}, failed: ${failedCount}`);
process.exit(failedCount > 0 ? 1 : 0);
