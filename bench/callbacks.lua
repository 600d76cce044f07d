-- wrk script: POSTs pre-generated signed callbacks, each once, in file order.
-- usage: wrk ... -s bench/callbacks.lua URL -- <requests file> <wrk threads> [<first> <lines>]
-- Each line of the file is "<query string>\t<body>"; thread k sends lines k, k+T, k+2T, ...
-- of the window (lines first .. first+lines-1, the whole file when not given), so windows of
-- one file that do not overlap never send a callback twice.
-- done() prints one line "BENCH {json}" with throughput, latency percentiles and errors, and
-- "percentiles": [[percent, microseconds], ...] of wrk's latency histogram (the distribution
-- that --latency prints in part), for the plot.

local threads = {}
local created = 0

function setup(thread)
  thread:set("id", created)
  created = created + 1
  table.insert(threads, thread)
end

function init(args)
  local path = args[1]
  local nthreads = tonumber(args[2]) or 1
  local first = tonumber(args[3]) or 0
  local last = args[4] and first + tonumber(args[4]) - 1 or math.huge
  local headers = { ["Content-Type"] = "text/xml" }
  local base = wrk.path:gsub("%?.*$", "")
  queue = {}
  count, pos, sent, non200, wrapped = 0, 0, 0, 0, 0
  local line_no = 0
  for line in io.lines(path) do
    if line_no > last then
      break
    end
    if line_no >= first and (line_no - first) % nthreads == id then
      local tab = line:find("\t", 1, true)
      count = count + 1
      queue[count] = wrk.format("POST", base .. "?" .. line:sub(1, tab - 1), headers,
                                line:sub(tab + 1))
    end
    line_no = line_no + 1
  end
end

function request()
  pos = pos + 1
  if pos > count then
    pos, wrapped = 1, wrapped + 1
  end
  sent = sent + 1
  return queue[pos]
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

local SHOWN = { 1, 5, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 92.5, 95, 97.5, 98, 99,
                99.5, 99.75, 99.9, 99.95, 99.99, 100 }

function done(summary, latency, requests)
  local points = {}
  for i, p in ipairs(SHOWN) do
    points[i] = string.format("[%g, %d]", p, p < 100 and latency:percentile(p) or latency.max)
  end
  local non200_total, sent_total, wrapped_total, available = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    non200_total = non200_total + thread:get("non200")
    sent_total = sent_total + thread:get("sent")
    wrapped_total = wrapped_total + thread:get("wrapped")
    available = available + thread:get("count")
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f, "non200": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "timeouts": %d, "sent": %d, "available": %d, "wrapped": %d, ' ..
    '"percentiles": [%s]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, latency.mean, non200_total, e.connect, e.read,
    e.write, e.timeout, sent_total, available, wrapped_total, table.concat(points, ", ")))
end
