-- wrk script for the job bench (tests/bench/jobs.sh): POST /api/v1/_test/jobs
-- with a noop job; BENCH_DRY=1 parses the same body and enqueues nothing,
-- so the two runs differ by the one INSERT that jobs_enqueue adds.
-- BENCH_WRITE=1: both inside the transaction of a write the request makes
-- anyway (with_write), as a flow enqueues its mail with its change.
wrk.method = "POST"
wrk.path = "/api/v1/_test/jobs"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"kind":"noop","payload":{"n":1},"dry_run":' .. (os.getenv("BENCH_DRY") or "0") ..
           ',"with_write":' .. (os.getenv("BENCH_WRITE") or "0") .. '}'
