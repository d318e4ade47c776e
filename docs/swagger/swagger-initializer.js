/* Swagger UI for `make run` (and the nginx test stack, where
 * tests/browser/swagger.mjs clicks through it), pointed at the spec the
 * server serves, with "Try it out" working on the cookie session: log in
 * (or register) through POST /api/v1/auth/login and the csrf_token of the
 * answer is kept and sent as X-CSRF-Token on every request that is not
 * GET/HEAD/OPTIONS. A session that already exists when the page loads is
 * picked up from GET /api/v1/auth/session (nobody logged in: a 401 the
 * console shows). The spec therefore does not mark X-CSRF-Token required
 * and says to leave it empty here. Every URL is relative to this page
 * (/docs/), as the spec's server is relative to the spec: the page works on
 * any host, port and path prefix. A personal access token entered with
 * "Authorize" (bearer) is sent instead of the cookie. */
(function () {
  "use strict";

  var csrfToken = null;

  function safeMethod(method) {
    var m = String(method || "GET").toUpperCase();
    return m === "GET" || m === "HEAD" || m === "OPTIONS";
  }

  /* the body as an object: swagger-client parses JSON into body (and obj);
   * text is the raw answer */
  function jsonBody(res) {
    if (res.body && typeof res.body === "object") return res.body;
    if (res.obj && typeof res.obj === "object") return res.obj;
    if (typeof res.text === "string" && res.text.charAt(0) === "{") {
      try { return JSON.parse(res.text); } catch (e) { return null; }
    }
    return null;
  }

  function remember(body) {
    if (body && typeof body.csrf_token === "string" && body.csrf_token !== "") {
      csrfToken = body.csrf_token;
    }
  }

  function requestInterceptor(req) {
    /* a token given with "Authorize" (bearer) goes without the cookie: a
     * request carrying both is refused (400), and needs no CSRF token */
    var bearer = req.headers && (req.headers.Authorization || req.headers.authorization);
    req.credentials = bearer ? "omit" : "same-origin";
    if (csrfToken && !bearer && !safeMethod(req.method)) {
      req.headers = req.headers || {};
      req.headers["X-CSRF-Token"] = csrfToken;
    }
    return req;
  }

  function responseInterceptor(res) {
    remember(jsonBody(res));
    /* the session is gone: forget its token */
    if (res.status === 401 || (res.ok && /\/api\/v1\/auth\/logout$/.test(String(res.url || "")))) {
      csrfToken = null;
    }
    return res;
  }

  window.onload = function () {
    if (typeof SwaggerUIBundle === "undefined") {
      document.getElementById("swagger-ui").innerHTML =
        "<p style=\"font-family: sans-serif; padding: 2em\">The Swagger UI files are missing " +
        "(build/node/node_modules/swagger-ui-dist; `make run` installs them with npm). " +
        "The API description is at <a href=\"../api/v1/openapi.json\">/api/v1/openapi.json</a>.</p>";
      return;
    }
    if (window.fetch) {
      window.fetch("../api/v1/auth/session", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(remember)
        .catch(function () {});
    }
    window.ui = SwaggerUIBundle({
      url: "../api/v1/openapi.json",
      dom_id: "#swagger-ui",
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      plugins: [SwaggerUIBundle.plugins.DownloadUrl],
      layout: "StandaloneLayout",
      requestInterceptor: requestInterceptor,
      responseInterceptor: responseInterceptor
    });
  };
})();
