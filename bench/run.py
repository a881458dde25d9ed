"""The INESS Day benchmark: `make bench` (see the README, section Performance).

For each mode (one gunicorn instance, then two sharing one database), on a fresh database:
starts the site as in production (DEBUG off, gunicorn sync workers, static files collected),
creates a fresh 20-seat event, then
  1. measures /healthz, the home page and the sign-up form with wrk (the framework's floor and
     the pages, same load generator, same concurrency, one after the other),
  2. fires a burst of real sign-ups (bench/burst.py, a separate process: each person GETs the
     form, keeps its CSRF cookie and token, POSTs, follows the redirect),
  3. checks the database: exactly `capacity` held, the rest waitlisted; then every person
     confirms from the mailed link, and exactly `capacity` are confirmed,
  4. measures sign-up POSTs with wrk, for the ratio to /healthz with the same load generator,
and prints the figures. Exits non-zero when a check fails. Requests only go to 127.0.0.1.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/iness_bench"

sys.path.insert(0, str(BENCH))
from burst import FormReader, fill  # noqa: E402


def say(text: str = "") -> None:
    print(text, flush=True)


# --- database -------------------------------------------------------------------------------


def fresh_postgres(url: str) -> None:
    """Drop and create the benchmark database (its name must contain "bench")."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name or not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"refusing to recreate database {name!r}: its name must contain 'bench'")
    try:
        conn = psycopg2.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password or None,
            dbname="postgres",
            connect_timeout=5,
        )
    except psycopg2.OperationalError as exc:
        raise SystemExit(
            f"PostgreSQL does not answer at {parts.hostname}:{parts.port}: {exc}\n"
            "Start it, set BENCH_DATABASE_URL, or run `make bench DB=sqlite`."
        ) from exc
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def db_task(env: dict, *args: str) -> str:
    done = subprocess.run(
        [PYTHON, str(BENCH / "db_tasks.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"db_tasks {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


# --- app servers ----------------------------------------------------------------------------


class Servers:
    """gunicorn instances started by this run, stopped by their own process ids."""

    def __init__(self, env: dict, ports: list[int], workers: int, threads: int, log_dir: Path):
        self.env, self.ports, self.workers, self.log_dir = env, ports, workers, log_dir
        self.threads = threads
        self.procs: list[subprocess.Popen] = []

    def __enter__(self):
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        for port in self.ports:
            log = open(self.log_dir / f"gunicorn-{port}.log", "w")  # noqa: SIM115
            self.procs.append(
                subprocess.Popen(
                    [
                        gunicorn,
                        "iness.wsgi",
                        "--bind",
                        f"127.0.0.1:{port}",
                        "--workers",
                        str(self.workers),
                        "--threads",
                        str(self.threads),
                        "--no-control-socket",
                        "--log-level",
                        "warning",
                    ],
                    cwd=ROOT,
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 60
        for port in self.ports:
            while True:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                        break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    if time.monotonic() > deadline or any(p.poll() is not None for p in self.procs):
                        self.__exit__()
                        raise SystemExit(
                            f"gunicorn on port {port} did not start: see {self.log_dir}"
                        ) from None
                    time.sleep(0.3)
        return self

    def __exit__(self, *exc):
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


# --- wrk ------------------------------------------------------------------------------------


def wrk(
    urls: list[str], *, seconds: int, connections: int, script: str, script_args: list[str]
) -> list[dict]:
    """Run one wrk per URL (one per app server) at once; one slice of a measurement."""
    procs = [
        subprocess.Popen(
            [
                "wrk",
                "--threads",
                "1",
                "--connections",
                str(max(1, connections // len(urls))),
                "--duration",
                f"{seconds}s",
                "--timeout",
                "10s",
                "--script",
                str(BENCH / script),
                url,
                "--",
                # "{slice}" becomes a fresh id for each run (e.g. for unique emails).
                *[arg.replace("{slice}", secrets.token_hex(4)) for arg in script_args],
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for url in urls
    ]
    runs = []
    for proc in procs:
        out, _ = proc.communicate(timeout=seconds + 60)
        line = next((ln for ln in out.splitlines() if ln.startswith("BENCH_JSON ")), None)
        if proc.returncode or line is None:
            raise SystemExit(f"wrk failed:\n{out}")
        runs.append(json.loads(line.removeprefix("BENCH_JSON ")))
    # The servers' runs of one slice overlap in time: the slice lasts as long as the longest.
    longest = max(run["duration_us"] for run in runs)
    for run in runs:
        run["slice_us"] = longest if run is runs[0] else 0
    return runs


def merge_wrk(runs: list[dict]) -> dict:
    """One distribution from wrk runs (servers and slices): each quantile weighs its run's
    request count; throughput is all requests over the slices' added durations."""
    samples = sorted(
        (q, run["requests"] / len(run["quantiles_us"])) for run in runs for q in run["quantiles_us"]
    )
    total = sum(weight for _q, weight in samples)

    def percentile(p: float) -> float:
        seen = 0.0
        for value, weight in samples:
            seen += weight
            if seen >= total * p / 100 - 1e-9:
                return value / 1000
        return samples[-1][0] / 1000

    requests = sum(run["requests"] for run in runs)
    seconds = sum(run["slice_us"] for run in runs) / 1e6
    errors = sum(
        run[key]
        for run in runs
        for key in ("connect_errors", "read_errors", "write_errors", "timeouts")
    )
    return {
        "requests": requests,
        "rps": requests / seconds,
        "p50_ms": percentile(50),
        "p95_ms": percentile(95),
        "p99_ms": percentile(99),
        "non_2xx_3xx": sum(run["bad_status"] for run in runs),
        "socket_errors": errors,
    }


def measure_pages(pages: dict[str, tuple[list[str], str, list[str]]], args) -> dict:
    """Measure pages in interleaved slices (a, b, c, a, b, c, ...): load from other programs
    on the machine then weighs on each page alike, and the ratios between them hold."""
    for urls, script, script_args in pages.values():  # warm every worker up
        wrk(urls, seconds=1, connections=args.connections, script=script, script_args=script_args)
    runs = {label: [] for label in pages}
    for _round in range(args.rounds):
        for label, (urls, script, script_args) in pages.items():
            runs[label] += wrk(
                urls,
                seconds=args.seconds,
                connections=args.connections,
                script=script,
                script_args=script_args,
            )
    return {label: merge_wrk(page_runs) for label, page_runs in runs.items()}


# --- one mode -------------------------------------------------------------------------------


def get_form(base: str, path: str) -> tuple[str, list[tuple[str, str]]]:
    """One GET of the form, as wrk's sign-ups will use it: the cookie header and the fields."""
    request = urllib.request.Request(base + path, headers={"Accept-Language": "en"})
    with urllib.request.urlopen(request, timeout=10) as response:
        cookies = [c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or []]
        reader = FormReader()
        reader.feed(response.read().decode())
    fields = [(k, v) for k, v in fill(reader.signup_form(), 0, "wrk") if k != "email"]
    return "; ".join(cookies), fields


def run_mode(args, instances: int, out_dir: Path, static_root: Path) -> dict:
    ports = args.ports[:instances]
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="iness.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{ports[0]}",
        # TLS ends at the reverse proxy in production; the benchmark speaks plain HTTP.
        SECURE_SSL_REDIRECT="false",
        # Pages only record mail (the mail worker sends it); no worker runs here, and the
        # backend would drop what one sent: the benchmark measures the site, not a mail server.
        EMAIL_URL="dummymail://",
        STATIC_ROOT=str(static_root),
        # Rate limits would turn most of the burst away (it all comes from 127.0.0.1).
        RATE_LIMITS="false",
        LOG_LEVEL="WARNING",
    )
    if args.db == "postgres":
        fresh_postgres(args.database_url)
        env["DATABASE_URL"] = args.database_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{out_dir / f'bench-{instances}.sqlite3'}"
    manage(env, "migrate", "--noinput")
    if not (static_root / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput")
    event = json.loads(db_task(env, "create-event"))
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    result = {
        "instances": instances,
        "workers_per_instance": args.workers // instances,
        "event": event,
        "pages": {},
    }
    sink = None
    if args.smtp_delay_ms is not None:
        # A mail server that answers each message after a delay, on the port left free.
        sink_port = args.ports[instances]
        sink = subprocess.Popen(
            [
                PYTHON,
                str(BENCH / "smtp_sink.py"),
                f"--port={sink_port}",
                f"--delay-ms={args.smtp_delay_ms}",
            ],
            stdout=subprocess.DEVNULL,
        )
        env["EMAIL_URL"] = f"smtp://127.0.0.1:{sink_port}"
        # Pages no longer talk to it: only a mail worker would (none runs in the benchmark yet).
        result["mail"] = f"SMTP server answering each message after {args.smtp_delay_ms:g} ms"
    else:
        result["mail"] = "recorded in the outbox; no mail worker runs (no SMTP)"
    try:
        return measure_mode(args, env, event, bases, ports, instances, out_dir, result)
    finally:
        if sink:
            sink.terminate()
            sink.wait(timeout=10)


def measure_mode(args, env, event, bases, ports, instances, out_dir, result) -> dict:
    paths = {"/healthz": "/healthz", "home": "/"}
    if event["form_path"]:
        paths["sign-up form"] = event["form_path"]
    pages = {
        label: ([base + path for base in bases], "wrk_report.lua", ["en"])
        for label, path in paths.items()
    }
    with Servers(env, ports, args.workers // instances, args.threads, out_dir):
        say(
            f"  {', '.join(pages)}: wrk, {args.rounds} rounds of {args.seconds} s per page, "
            "interleaved"
        )
        result["pages"] = measure_pages(pages, args)
        if not event["form_path"]:
            say("  no sign-up form in this version of the site: burst skipped")
            return result

        say(f"  burst: {args.signups} people, {args.clients} at once")
        burst = subprocess.run(
            [
                PYTHON,
                str(BENCH / "burst.py"),
                *[f"--base={base}" for base in bases],
                f"--path={event['form_path']}",
                f"--count={args.signups}",
                f"--concurrency={args.clients}",
                f"--time-limit={args.burst_limit}",
            ],
            capture_output=True,
            text=True,
            timeout=args.burst_limit + 60,
        )
        if burst.returncode:
            raise SystemExit(f"burst failed:\n{burst.stdout}{burst.stderr}")
        result["burst"] = json.loads(burst.stdout)
        result["after_burst"] = json.loads(db_task(env, "counts", event["slug"]))

        # Seats are held until each person confirms from the mailed link: the mail worker's
        # work (into memory), then every person opens their link and presses the button.
        links_file = out_dir / f"links-{event['slug']}.json"
        links_file.write_text(db_task(env, "mailed-links", event["slug"]))
        say(f"  verification: {len(json.loads(links_file.read_text()))} people confirm")
        verify = subprocess.run(
            [
                PYTHON,
                str(BENCH / "burst.py"),
                *[f"--base={base}" for base in bases],
                f"--path={event['form_path']}",
                f"--links={links_file}",
                f"--concurrency={args.clients}",
                f"--time-limit={args.burst_limit}",
            ],
            capture_output=True,
            text=True,
            timeout=args.burst_limit + 60,
        )
        if verify.returncode:
            raise SystemExit(f"verification failed:\n{verify.stdout}{verify.stderr}")
        result["verify"] = json.loads(verify.stdout)
        result["after_verify"] = json.loads(db_task(env, "counts", event["slug"]))

        say(f"  /healthz and sign-up POSTs: wrk, {args.rounds} rounds of {args.seconds} s each")
        cookie, fields = get_form(bases[0], event["form_path"])
        before = sum(json.loads(db_task(env, "counts", event["slug"])).values())
        post = [cookie, urlencode(fields), "{slice}"]
        measured = measure_pages(
            {
                "/healthz": pages["/healthz"],
                "sign-up POST": (
                    [base + event["form_path"] for base in bases],
                    "wrk_signup.lua",
                    ["en", event["form_path"], *post],
                ),
            },
            args,
        )
        result["healthz_beside_post"] = measured["/healthz"]
        result["pages"]["sign-up POST"] = measured["sign-up POST"]
        result["after_posts"] = json.loads(db_task(env, "counts", event["slug"]))
        result["pages"]["sign-up POST"]["rows_added"] = sum(result["after_posts"].values()) - before
    if args.lock_hold:
        say(f"  event lock: {args.lock_hold} sign-ups one at a time, servers stopped")
        result["lock"] = json.loads(db_task(env, "lock-hold", str(args.lock_hold)))
    return result


# --- report ---------------------------------------------------------------------------------


def report(args, result: dict) -> list[str]:
    """Print one mode's figures; return the checks that failed."""
    failed = []
    capacity = result["event"]["capacity"]
    say()
    say(
        f"{result['instances']} gunicorn instance(s) x {result['workers_per_instance']} "
        + ("sync workers" if args.threads == 1 else f"workers x {args.threads} threads")
        + f", {args.db}; wrk, 1 thread, {args.connections} connections, "
        f"{args.rounds} x {args.seconds} s per page interleaved"
    )
    say(f"mail: {result['mail']}")
    say(f"{'':24}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'/healthz':>10}{'bad':>6}")
    rows = [(label, page, result["pages"]["/healthz"]) for label, page in result["pages"].items()]
    if "healthz_beside_post" in result:
        # The POSTs were measured later, interleaved with /healthz again.
        floor = result["healthz_beside_post"]
        rows[-1:-1] = [("/healthz (with POSTs)", floor, floor)]
        rows[-1] = (rows[-1][0], rows[-1][1], floor)
    for label, page, floor in rows:
        ratio = page["rps"] / floor["rps"]
        bad = page["non_2xx_3xx"] + page["socket_errors"]
        say(
            f"{label:24}{page['rps']:9.1f}{page['p50_ms']:9.1f}{page['p95_ms']:9.1f}"
            f"{page['p99_ms']:9.1f}{ratio:10.2f}{bad:6d}"
        )
        if bad:
            failed.append(f"{label}: {bad} answers not 2xx/3xx or socket errors")
    say("  (/healthz: throughput as a fraction of /healthz's measured beside it; bad: answers")
    say("   not 2xx/3xx and socket errors)")
    post = result["pages"].get("sign-up POST")
    if post and post["rows_added"] < post["requests"]:
        failed.append(f"sign-up POST: {post['requests']} answered but {post['rows_added']} rows")
    burst = result.get("burst")
    if not burst:
        return failed
    after = result["after_burst"]
    lat = burst["latency"]
    say()
    say(
        f"Burst: {burst['count']} sign-ups by {burst['concurrency']} concurrent clients "
        f"(GET form, POST, GET result), over {len(burst['servers'])} server(s)"
    )
    say(
        f"  {burst['outcomes']['signed_up']} signed up in {burst['elapsed_s']:.1f} s: "
        f"{burst['signups_per_s']:.1f} sign-ups/s"
    )
    for step in ("form", "post", "result"):
        s = lat[step]
        if s["n"]:
            say(
                f"  {step:7} p50 {s['p50_ms']:7.1f} ms   p95 {s['p95_ms']:7.1f} ms   "
                f"p99 {s['p99_ms']:7.1f} ms   max {s['max_ms']:7.1f} ms"
            )
    expected_wait = burst["count"] - capacity
    say(
        f"  held {after['held']} (expected {capacity}), "
        f"waitlisted {after['waitlisted']} (expected {expected_wait}), "
        f"confirmed {after['confirmed']} (expected 0 until people confirm)"
    )
    say(f"  answers not 2xx/3xx: {burst['non_2xx_3xx']}, failures: {burst['outcomes']}")
    for failure in burst["failures"]:
        say(f"    {failure[:500]}")
    if after["held"] != capacity or after["waitlisted"] != expected_wait or after["confirmed"]:
        failed.append(f"burst: {after} instead of {capacity} held, {expected_wait} waitlisted")
    if burst["non_2xx_3xx"] or burst["outcomes"]["signed_up"] != burst["count"]:
        failed.append(f"burst: {burst['non_2xx_3xx']} bad answers, {burst['outcomes']}")
    verify, verified = result.get("verify"), result.get("after_verify")
    if verify:
        say(
            f"Verification: {verify['outcomes']['signed_up']} of {verify['count']} people "
            f"confirmed from the mailed link (GET page, POST) in {verify['elapsed_s']:.1f} s; "
            f"then confirmed {verified['confirmed']} (expected {capacity}), waitlisted "
            f"{verified['waitlisted']} (expected {expected_wait}), held {verified['held']}"
        )
        if verify["count"] != burst["count"]:
            failed.append(f"verification: {verify['count']} links mailed for {burst['count']}")
        if verify["non_2xx_3xx"] or verify["outcomes"]["signed_up"] != verify["count"]:
            failed.append(f"verification: {verify['non_2xx_3xx']} bad, {verify['outcomes']}")
        if verified["confirmed"] != capacity or verified["waitlisted"] != expected_wait:
            failed.append(f"after verification: {verified}")
    if result.get("after_posts", {}).get("confirmed") != capacity:
        failed.append(f"after the POST measurement: {result.get('after_posts')}")
    lock = result.get("lock")
    if lock:
        say(
            f"Event lock, {lock['count']} sign-ups one at a time: held p50 "
            f"{lock['hold_p50_ms']:.2f} ms (best {lock['hold_best_ms']:.2f}, p95 "
            f"{lock['hold_p95_ms']:.2f}), {lock['queries_under_lock']} queries, of which "
            f"{lock['cpu_under_lock_p50_ms']:.2f} ms CPU in Python; whole call p50 "
            f"{lock['register_p50_ms']:.2f} ms"
        )
        say(f"  so one event takes at most ~{lock['max_signups_per_s']:.0f} sign-ups/s")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG),
        help="PostgreSQL database, dropped and created afresh (its name must contain 'bench')",
    )
    parser.add_argument(
        "--instances", default=None, help="modes to run, e.g. 1,2 (default 1,2; SQLite: 1)"
    )
    parser.add_argument("--ports", default="8105,8106")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers in all")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker (1: sync workers, more: gthread)"
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk connections in all")
    parser.add_argument("--seconds", type=int, default=2, help="wrk slice per page and round")
    parser.add_argument("--rounds", type=int, default=3, help="slices per page")
    parser.add_argument("--signups", type=int, default=500, help="people in the burst")
    parser.add_argument("--clients", type=int, default=64, help="people signing up at once")
    parser.add_argument("--burst-limit", type=float, default=180, help="seconds, at most")
    parser.add_argument(
        "--smtp-delay-ms",
        type=float,
        default=None,
        help="send mail to a local SMTP server answering after this delay (one instance only)",
    )
    parser.add_argument(
        "--lock-hold", type=int, default=100, help="sign-ups timed one at a time (0: skip)"
    )
    args = parser.parse_args()
    args.ports = [int(p) for p in args.ports.split(",")]
    modes = [int(m) for m in (args.instances or ("1" if args.db == "sqlite" else "1,2")).split(",")]
    if any(m > len(args.ports) for m in modes):
        parser.error("give as many --ports as instances")
    if args.smtp_delay_ms is not None and any(m >= len(args.ports) for m in modes):
        parser.error("--smtp-delay-ms needs a port beside the app servers': use --instances 1")
    if not shutil.which("wrk"):
        parser.error("wrk is not installed: apt-get install wrk (make bench does it)")

    out_dir = BENCH / "out"
    out_dir.mkdir(exist_ok=True)
    say(
        f"INESS Day benchmark, {time.strftime('%Y-%m-%d %H:%M:%S')}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} before the run"
    )
    results, failed = [], []
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="iness-bench-static-") as static_root:
        for instances in modes:
            say(f"\n== {instances} app server(s) on {args.db}")
            result = run_mode(args, instances, out_dir, Path(static_root))
            args.lock_hold = 0  # once per run: it does not depend on the app servers
            results.append(result)
            failed += report(args, result)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (out_dir / f"bench-{stamp}.json").write_text(json.dumps(results, indent=2))
    say(f"\nFigures saved in bench/out/bench-{stamp}.json ({time.monotonic() - started:.0f} s)")
    if failed:
        say("FAILED:\n  " + "\n  ".join(failed))
        return 1
    say("All checks passed.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
