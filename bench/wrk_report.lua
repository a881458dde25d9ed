-- Prints wrk's figures as one JSON line (prefixed BENCH_JSON) for bench/run.py to read:
-- request count, duration, errors, and the latency distribution as 1000 quantiles, so that
-- the runs of two wrk processes (one per app server) can be merged into one distribution.
-- An optional first script argument sets an Accept-Language header (the pages are in French
-- by default; the benchmark reads them in English, as the burst does).

init = function(args)
  if args[1] then
    wrk.headers["Accept-Language"] = args[1]
  end
end

done = function(summary, latency, requests)
  local quantiles = {}
  for i = 1, 1000 do
    quantiles[i] = latency:percentile(i / 10)
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "timeouts": %d, "bad_status": %d, "quantiles_us": [%s]}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    table.concat(quantiles, ",")))
end
