-- Sign-up POSTs for wrk, each with a new email address, all with one CSRF cookie and token
-- (taken from one GET of the form by bench/run.py: Django accepts a token for as long as its
-- cookie lives). Measures what a sign-up costs the server with the same load generator as
-- /healthz; the burst in bench/burst.py is what checks the flow as browsers run it.
-- Script arguments: language, form path, cookie header, url-encoded fields without the email,
-- run id.

local thread_number = 0

setup = function(thread)
  thread_number = thread_number + 1
  thread:set("thread_number", thread_number)
end

init = function(args)
  wrk.method = "POST"
  wrk.path = args[2]
  wrk.headers["Accept-Language"] = args[1]
  wrk.headers["Cookie"] = args[3]
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  fields = args[4]
  run = args[5]
  counter = 0
end

request = function()
  counter = counter + 1
  local body = fields .. "&email=wrk-" .. run .. "-" .. thread_number .. "-" .. counter
    .. "%40example.org"
  return wrk.format(nil, nil, nil, body)
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
