"""Where a page's time goes, above the /healthz floor: `make bench-profile`.

Runs the site in this process with the production settings the benchmark uses (DEBUG off,
static files collected, a fresh database with a 20-seat event and `--rows` sign-ups on it),
times each page over many requests through Django's WSGI handler (no server, no load
generator: the cost of Django and our code alone), then profiles each page with pyinstrument
and prints the call tree.

    python bench/profile_pages.py [--db sqlite|postgres] [--requests 300] [--page home ...]
"""

import argparse
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

PAGES = ["healthz", "home", "form", "post"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_PROFILE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/iness_bench_profile"
        ),
    )
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rows", type=int, default=500, help="sign-ups already there")
    parser.add_argument("--page", action="append", choices=PAGES, help="pages to profile")
    parser.add_argument("--threshold", type=float, default=0.02, help="hide smaller frames")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="iness-profile-"))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="iness.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="false",
        EMAIL_URL="dummymail://",
        STATIC_ROOT=str(tmp / "static"),
        RATE_LIMITS="false",
        LOG_LEVEL="WARNING",
    )
    if args.db == "postgres":
        from run import fresh_postgres

        fresh_postgres(args.database_url)
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp / 'profile.sqlite3'}"

    import django

    django.setup()
    import db_tasks
    from burst import FormReader, fill
    from django.core.management import call_command
    from django.test import Client
    from pyinstrument import Profiler

    call_command("migrate", verbosity=0)
    call_command("collectstatic", verbosity=0, interactive=False)
    event = db_tasks.create_event()
    db_tasks.add_registrations(event, args.rows)
    form_path = db_tasks.form_path(event)

    client = Client(HTTP_ACCEPT_LANGUAGE="en", enforce_csrf_checks=True)
    requests = {"healthz": lambda: client.get("/healthz"), "home": lambda: client.get("/")}
    if form_path:
        reader = FormReader()
        reader.feed(client.get(form_path).content.decode())
        form = reader.signup_form()
        numbers = iter(range(10**9))

        def post():
            data = dict(fill(form, next(numbers), secrets.token_hex(4)))
            response = client.post(form_path, data)
            assert response.status_code == 302, response.status_code

        requests["form"] = lambda: client.get(form_path)
        requests["post"] = post

    # The machine is shared: each page runs in 5 rounds, interleaved, and the best round
    # counts (the least disturbed one), in wall time and in this process's CPU time.
    for request in requests.values():
        for _ in range(20):
            request()
    wall = {name: float("inf") for name in requests}
    cpu = dict(wall)
    per_round = max(1, args.requests // 5)
    for _round in range(5):
        for name, request in requests.items():
            started, started_cpu = time.perf_counter(), time.process_time()
            for _ in range(per_round):
                request()
            wall[name] = min(wall[name], (time.perf_counter() - started) / per_round)
            cpu[name] = min(cpu[name], (time.process_time() - started_cpu) / per_round)
    print(
        f"Cost per request in-process, best of 5 rounds of {per_round} "
        f"({args.db}, {args.rows} sign-ups in the table):"
    )
    print(f"  {'':8} {'wall ms':>8} {'x healthz':>10} {'CPU ms':>8} {'x healthz':>10}")
    for name in requests:
        print(
            f"  {name:8} {wall[name] * 1000:8.2f} {wall[name] / wall['healthz']:10.1f}"
            f" {cpu[name] * 1000:8.2f} {cpu[name] / cpu['healthz']:10.1f}"
        )

    for name in [p for p in args.page or ["home", "form", "post"] if p in requests]:
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for _ in range(args.requests):
            requests[name]()
        profiler.stop()
        print(f"\n=== {name}: {args.requests} requests")
        print(
            profiler.output_text(
                processor_options={"filter_threshold": args.threshold},
                time="percent_of_total",
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
