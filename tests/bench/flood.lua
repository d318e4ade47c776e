-- wrk script for `make bench`: one account creating recipes as fast as it
-- can (the flood measure). The session comes from the environment:
-- BENCH_COOKIE (the rb_session value) and BENCH_CSRF (its X-CSRF-Token).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Cookie"] = "rb_session=" .. (os.getenv("BENCH_COOKIE") or "")
wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF") or ""
wrk.body = '{"title":"Flood stew","ingredients":[{"name":"salt","quantity":1}],' ..
           '"steps":["Stir for a long time."],"tags":["flood"]}'
