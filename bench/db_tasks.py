"""Database chores of the benchmark, run by bench/run.py with the benchmark's environment.

python bench/db_tasks.py create-event            a fresh 20-seat event: slug, form path (JSON)
python bench/db_tasks.py counts SLUG             prints the registrations by status (JSON)
python bench/db_tasks.py mailed-links SLUG       sends the waiting mail (as the mail worker,
                                                 into memory) and prints the paths of the
                                                 links that confirm a sign-up (JSON)
"""

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iness.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from iness.models import Event, Person  # noqa: E402
from registrations.models import Registration  # noqa: E402


def create_event(capacity: int = 20) -> Event:
    """An open, published event two months ahead, like the real one, with a fresh slug."""
    now = timezone.now()
    return Event.objects.create(
        slug=f"bench-{now:%Y%m%d-%H%M%S-%f}",
        title="Journée INESS (mesure)",
        title_en="INESS day (benchmark)",
        description="Une journée d'échanges entre chercheurs et praticiens.",
        description_en="A day of exchanges between researchers and practitioners.",
        date=timezone.localdate() + dt.timedelta(days=60),
        starts_at=dt.time(9, 30),
        ends_at=dt.time(17, 30),
        venue="Institut Mines-Télécom",
        address="19 place Marguerite Perey, 91120 Palaiseau",
        access="RER B, Lozère",
        capacity=capacity,
        registration_opens_at=now - dt.timedelta(days=1),
        registration_closes_at=now + dt.timedelta(days=30),
        proposals_close_at=now + dt.timedelta(days=20),
        contact_email="iness@listes.imt.fr",
        committee="Alice Martin\nBruno Petit\nChloé Durand",
        is_published=True,
    )


def form_path(event: Event) -> str | None:
    try:
        return reverse("registrations:register", args=[event.slug])
    except NoReverseMatch:  # a version of the site without sign-up
        return None


def add_registrations(event: Event, count: int) -> None:
    """`count` sign-ups straight into the tables: the seats taken, the rest waitlisted."""
    now = timezone.now()
    people = Person.objects.bulk_create(
        Person(
            first_name="Existing",
            last_name=f"Person {n}",
            email=f"existing-{event.pk}-{n}@example.org",
            email_key=f"existing-{event.pk}-{n}@example.org",
            consent_at=now,
        )
        for n in range(count)
    )
    Registration.objects.bulk_create(
        Registration(
            event=event,
            person=person,
            organisation="Somewhere",
            profile="researcher",
            organisation_kind="research",
            status="confirmed" if n < event.capacity else "waitlisted",
            token_hash=f"{event.pk:08d}{n:056d}",  # unique; nobody holds a link to it
            created_at=now - dt.timedelta(seconds=count - n),
        )
        for n, person in enumerate(people)
    )
    # Past the services: the seat count the state setter would have kept.
    Event.objects.filter(pk=event.pk).update(seats_held=min(count, event.capacity))


def mailed_links(slug: str) -> list[str]:
    """What the people of the burst find in their inbox: the mail worker sends what waits
    (the links are minted then) into memory, and the confirmation links are read from it."""
    import re

    from django.conf import settings
    from django.core import mail

    from iness.sending import send_due

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    while True:
        result = send_due(limit=500)
        if result.paused or not result.busy:
            break
    link = re.compile(r"https?://[^\s/]+(/mon-inscription/[A-Za-z0-9_-]+/confirmer/)")
    # The benchmark's day is the only one whose mail waits.
    return [m.group(1) for message in mail.outbox if (m := link.search(message.body))]


def counts(slug: str) -> dict:
    rows = (
        Registration.objects.filter(event__slug=slug)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    found = {row["status"]: row["n"] for row in rows}
    return {status: found.get(status, 0) for status in Registration.Status.values}


def lock_hold(count: int = 200) -> dict:
    """Sign `count` people up one after the other on a fresh event and time the locked part.

    On PostgreSQL the lock is taken by the event row's SELECT ... FOR UPDATE and released by
    COMMIT; on SQLite by BEGIN IMMEDIATE (the clock starts at the transaction's first query).
    Nobody else competes, so this is the floor: one event can take at most 1 / hold sign-ups
    per second, however many app servers there are.
    """
    from registrations import services

    event = create_event()
    holds, cpus, totals, queries = [], [], [], []
    marks: dict[str, float | int] = {}

    def watch(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if "locked" not in marks and (
            ("FOR UPDATE" in sql and "iness_event" in sql)
            or not connection.features.has_select_for_update
        ):
            marks["locked"] = time.perf_counter()
            marks["locked_cpu"] = time.process_time()
        if "locked" in marks and "committed" not in marks:
            marks["queries"] = marks.get("queries", 0) + 1
        return result

    commit = connection.commit

    def timed_commit():
        commit()
        marks["committed"] = time.perf_counter()
        marks["committed_cpu"] = time.process_time()

    connection.commit = timed_commit
    with connection.execute_wrapper(watch):
        for n in range(count):
            marks.clear()
            started = time.perf_counter()
            services.register(
                event=event,
                data=services.RegistrationData(
                    first_name="Ada",
                    last_name=f"Lock {n}",
                    email=f"lock-{n}@example.org",
                    organisation="Somewhere",
                    profile="researcher",
                    organisation_kind="research",
                    language="en",
                ),
            )
            totals.append(time.perf_counter() - started)
            holds.append(marks["committed"] - marks["locked"])
            cpus.append(marks["committed_cpu"] - marks["locked_cpu"])
            queries.append(marks["queries"])
    del connection.commit
    holds.sort()
    return {
        "count": count,
        "hold_p50_ms": statistics.median(holds) * 1000,
        "hold_p95_ms": holds[int(0.95 * len(holds)) - 1] * 1000,
        "hold_best_ms": holds[0] * 1000,
        # This process's CPU time under the lock (the rest is the database and waiting).
        "cpu_under_lock_p50_ms": statistics.median(cpus) * 1000,
        "register_p50_ms": statistics.median(totals) * 1000,
        "queries_under_lock": max(queries),
        "max_signups_per_s": 1 / statistics.median(holds),
    }


def main(argv: list[str]) -> int:
    if argv[:1] == ["create-event"]:
        event = create_event()
        print(
            json.dumps(
                {"slug": event.slug, "capacity": event.capacity, "form_path": form_path(event)}
            )
        )
    elif argv[:1] == ["lock-hold"]:
        print(json.dumps(lock_hold(*map(int, argv[1:2]))))
    elif argv[:1] == ["mailed-links"] and len(argv) == 2:
        print(json.dumps(mailed_links(argv[1])))
    elif argv[:1] == ["counts"] and len(argv) == 2:
        print(json.dumps(counts(argv[1])))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
