"""A burst of real sign-ups, as people answering a mailing list in the same minute.

Run by bench/run.py as a separate process (the load generator), standard library only. Each
simulated person opens the sign-up form (GET), keeps the cookies it sets and the CSRF token in
the page, fills in every field of the form, posts it, and follows the redirect to the result
page, as a browser does. Threads start together behind a barrier. With several app servers,
person i gets the form from server i and posts to the next one: the servers share nothing but
the database and the secret key.

With `--links FILE` (a JSON list of paths), each simulated person instead confirms their
sign-up from the mailed link: GET the page with its one button, POST it with the CSRF token,
as a person reading the mail does (the seats of a burst are held until then).

Only loopback addresses are accepted; the run is bounded by a count and a time limit. Prints
one JSON object on stdout.
"""

import argparse
import http.client
import ipaddress
import json
import math
import re
import threading
import time
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit


class FormReader(HTMLParser):
    """The fields of the first form that has a `first_name` field, with what a person enters."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "fields": [], "selects": {}}
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            self._form["fields"].append(
                (a["name"], (a.get("type") or "text").lower(), a.get("value") or "")
            )
        elif tag == "textarea":
            self._form["fields"].append((a["name"], "textarea", ""))
        elif tag == "select":
            self._select = a["name"]
            self._form["selects"][self._select] = []
            self._form["fields"].append((a["name"], "select", ""))
        if tag == "option" and self._select and a.get("value"):
            self._form["selects"][self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None

    def signup_form(self) -> dict:
        for form in self.forms:
            if any(name == "first_name" for name, _type, _value in form["fields"]):
                return form
        raise ValueError("no sign-up form in the page")


def fill(form: dict, number: int, run: str) -> dict:
    """What person `number` types: the fields it knows, every box ticked, first choices."""
    typed = {
        "first_name": "Ada",
        "last_name": f"Bench {number}",
        "email": f"bench-{run}-{number}@example.org",
        "organisation": "Laboratoire de mesure",
        "interests": "Measuring how a sign-up burst is served.",
        "needs": "",
    }
    data: list[tuple[str, str]] = []
    seen_radio = set()
    for name, kind, value in form["fields"]:
        if kind in ("hidden", "submit"):
            if kind == "hidden":
                data.append((name, value))
        elif kind == "checkbox":
            data.append((name, value or "on"))
        elif kind == "radio":
            if name not in seen_radio:
                seen_radio.add(name)
                data.append((name, value))
        elif kind == "select":
            data.append((name, form["selects"][name][0]))
        else:  # fields it does not know stay empty, as a person leaves a honeypot
            data.append((name, typed.get(name, "")))
    return data


class Person:
    """One browser: its own connections, its own cookie jar."""

    def __init__(self, timeout: float):
        self.cookies: dict[str, str] = {}
        self.timeout = timeout

    def request(self, base: str, method: str, path: str, body: bytes | None = None):
        parts = urlsplit(base)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        headers = {"Accept-Language": "en", "User-Agent": "iness-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        elapsed = time.perf_counter() - started
        for header in response.msg.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, response.getheader("Location"), content, elapsed


def percentiles(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    ordered = sorted(values)

    def at(p):  # nearest rank
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {
        "n": len(ordered),
        "p50_ms": at(50) * 1000,
        "p95_ms": at(95) * 1000,
        "p99_ms": at(99) * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", action="append", required=True, help="http://127.0.0.1:PORT")
    parser.add_argument("--path", required=True, help="path of the sign-up form")
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds, whole burst")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds, one request")
    parser.add_argument("--run", default=str(int(time.time())), help="makes the emails unique")
    parser.add_argument("--links", help="JSON file of mailed links to confirm, instead of sign-ups")
    args = parser.parse_args()
    for base in args.base:
        host = urlsplit(base).hostname
        if not ipaddress.ip_address(host).is_loopback:
            parser.error(f"{base}: the benchmark only sends requests to loopback addresses")
    links = None
    if args.links:
        with open(args.links, encoding="utf-8") as file:
            links = json.load(file)
        args.count = len(links)
    if not 1 <= args.count <= 5000:
        parser.error("--count between 1 and 5000")

    lock = threading.Lock()
    next_number = iter(range(args.count))
    steps = {"form": [], "post": [], "result": []}
    statuses: dict[str, dict[str, int]] = {name: {} for name in steps}
    outcomes = {"signed_up": 0, "form_errors": 0, "failures": 0, "not_started": 0}
    failures: list[str] = []
    start_line = threading.Barrier(args.concurrency)
    deadline = time.monotonic() + args.time_limit

    def note(step: str, status: int, elapsed: float) -> None:
        with lock:
            steps[step].append(elapsed)
            statuses[step][str(status)] = statuses[step].get(str(status), 0) + 1

    def confirm(number: int) -> None:
        person = Person(args.timeout)
        base = args.base[number % len(args.base)]
        status, _loc, content, elapsed = person.request(base, "GET", links[number])
        note("form", status, elapsed)
        if status != 200:
            raise RuntimeError(f"confirmation page GET answered {status}")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1)
        body = urlencode({"csrfmiddlewaretoken": token.decode()}).encode()
        status, location, _content, elapsed = person.request(base, "POST", links[number], body)
        note("post", status, elapsed)
        if status != 302 or not location:
            raise RuntimeError(f"confirmation POST answered {status}")
        with lock:
            outcomes["signed_up"] += 1

    def one_person(number: int) -> None:
        if links is not None:
            confirm(number)
            return
        person = Person(args.timeout)
        form_base = args.base[number % len(args.base)]
        post_base = args.base[(number + 1) % len(args.base)]
        status, _loc, content, elapsed = person.request(form_base, "GET", args.path)
        note("form", status, elapsed)
        if status != 200:
            raise RuntimeError(f"form GET answered {status}")
        reader = FormReader()
        reader.feed(content.decode())
        form = reader.signup_form()
        body = urlencode(fill(form, number, args.run)).encode()
        action = form["action"] or args.path
        status, location, content, elapsed = person.request(post_base, "POST", action, body)
        note("post", status, elapsed)
        if status == 200:
            with lock:
                outcomes["form_errors"] += 1
                if len(failures) < 5:
                    failures.append(f"person {number}: form refused: {content[:3000]!r}")
            return
        if status != 302 or not location:
            raise RuntimeError(f"sign-up POST answered {status}")
        result_path = urlsplit(location).path
        status, _loc, _content, elapsed = person.request(post_base, "GET", result_path)
        note("result", status, elapsed)
        if status != 200:
            raise RuntimeError(f"result page answered {status}")
        with lock:
            outcomes["signed_up"] += 1

    def worker() -> None:
        start_line.wait()
        while True:
            with lock:
                number = next(next_number, None)
            if number is None:
                return
            if time.monotonic() > deadline:
                with lock:
                    outcomes["not_started"] += 1
                continue
            try:
                one_person(number)
            except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                with lock:
                    outcomes["failures"] += 1
                    if len(failures) < 5:
                        failures.append(f"person {number}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started

    bad = sum(
        n
        for step in statuses.values()
        for code, n in step.items()
        if not ("200" <= code <= "399" and len(code) == 3)
    )
    print(
        json.dumps(
            {
                "count": args.count,
                "concurrency": args.concurrency,
                "servers": args.base,
                "elapsed_s": elapsed,
                "signups_per_s": outcomes["signed_up"] / elapsed if elapsed else 0,
                "outcomes": outcomes,
                "statuses": statuses,
                "non_2xx_3xx": bad,
                "latency": {step: percentiles(values) for step, values in steps.items()},
                "failures": failures,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
