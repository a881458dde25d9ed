import os
import socket
import threading

import pytest
from django.core.cache import caches
from django.db import connection

from iness import links
from iness.abuse import client_ip, client_network
from iness.forms import HONEYPOT_FIELD, LostLinkForm
from registrations import services as registrations
from tests.registrations.conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def recorded_senders(monkeypatch):
    calls = []
    monkeypatch.setattr(links, "_senders", [lambda **kw: calls.append(kw)])
    return calls


def post_lost_link(client, email="ada@example.org", address="203.0.113.7", **extra):
    """Post the form, then let the mail worker answer what it recorded."""
    response = client.post(
        "/lien-perdu/",
        {"email": email, **extra.pop("data", {})},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE=extra.pop("language", "en"),
        **extra,
    )
    links.answer_requests()
    return response


# Rate limits


def test_lost_link_form_answers_429_past_the_rate_and_sends_nothing_more(
    client, settings, rate_limits, recorded_senders
):
    settings.PUBLIC_POST_RATE = "3/10m"

    answers = [post_lost_link(client, email=f"p{i}@example.org").status_code for i in range(4)]
    blocked = post_lost_link(client, email="late@example.org")

    assert answers == [302, 302, 302, 429]
    assert blocked.status_code == 429
    assert "Too many attempts" in blocked.content.decode()
    assert [call["email"] for call in recorded_senders] == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]


def test_rate_limit_page_speaks_the_visitors_language(client, settings, rate_limits):
    settings.PUBLIC_POST_RATE = "1/10m"
    post_lost_link(client)

    blocked = post_lost_link(client, language="fr")

    assert blocked.status_code == 429
    assert '<html lang="fr">' in blocked.content.decode()


def test_rate_limit_counts_each_client_address_apart(client, settings, rate_limits):
    settings.PUBLIC_POST_RATE = "1/10m"
    post_lost_link(client, address="203.0.113.7")

    assert post_lost_link(client, address="203.0.113.7").status_code == 429
    assert post_lost_link(client, address="198.51.100.20").status_code == 302


def test_reading_the_form_is_never_limited(client, settings, rate_limits):
    settings.PUBLIC_POST_RATE = "1/10m"
    post_lost_link(client)
    post_lost_link(client)

    assert client.get("/lien-perdu/", REMOTE_ADDR="203.0.113.7").status_code == 200


def test_one_person_gets_at_most_five_lost_link_mails_an_hour_from_any_client(
    client, rate_limits, event, delivered, mailoutbox
):
    registrations.register(event=event, data=person(email="victim@example.org"))

    with delivered():
        statuses = [
            post_lost_link(
                client, email=" Victim@Example.org", address=f"198.51.100.{i}"
            ).status_code
            for i in range(7)
        ]

    assert statuses == [302] * 7  # the page answers the same, whatever the budget
    assert len([m for m in mailoutbox if m.to == ["victim@example.org"]]) == 5


def test_rate_limits_off_lets_every_post_through(client, settings, rate_limits):
    settings.PUBLIC_POST_RATE = "1/10m"
    settings.RATELIMIT_ENABLE = False

    assert [post_lost_link(client).status_code for _ in range(3)] == [302, 302, 302]


def test_invalid_posts_cost_nothing(client, settings, rate_limits):
    settings.PUBLIC_POST_RATE = "2/10m"

    invalid = [post_lost_link(client, email="not an address").status_code for _ in range(5)]
    valid = [post_lost_link(client, email=f"p{i}@example.org").status_code for i in range(3)]

    assert invalid == [200] * 5
    assert valid == [302, 302, 429]


def test_429_keeps_what_was_typed_and_says_when_to_try_again(client, settings, rate_limits):
    settings.PUBLIC_POST_RATE = "1/10m"
    post_lost_link(client)

    blocked = post_lost_link(client, email="typed.by.hand@example.org")

    page = blocked.content.decode()
    assert blocked.status_code == 429
    assert 'value="typed.by.hand@example.org"' in page
    assert "please send it again after" in page
    assert 0 < int(blocked["Retry-After"]) <= 600


def test_ipv6_clients_of_one_64_share_their_limit(client, settings, rate_limits):
    settings.PUBLIC_POST_RATE = "1/10m"
    post_lost_link(client, address="2001:db8:1:2::1")

    assert post_lost_link(client, address="2001:db8:1:2:ffff::9").status_code == 429
    assert post_lost_link(client, address="2001:db8:1:3::1").status_code == 302


# Whose address


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        ("::ffff:203.0.113.7", "203.0.113.7"),
    ],
)
def test_client_network_groups_ipv6_by_64(rf, address, network):
    assert client_network(rf.get("/", REMOTE_ADDR=address)) == network


def test_forwarded_header_is_ignored_without_a_trusted_proxy(rf, settings):
    settings.BEHIND_PROXY = False
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert client_ip(request) == "10.0.0.5"


def test_behind_a_proxy_the_address_it_saw_is_used_not_what_the_client_wrote(rf, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 1
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7"
    )  # "1.2.3.4" was sent by the client itself; the proxy appended 203.0.113.7

    assert client_ip(request) == "203.0.113.7"


def test_behind_two_proxies_the_outer_ones_entry_is_used(rf, settings):
    settings.BEHIND_PROXY = True
    settings.PROXY_COUNT = 2
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7, 10.0.0.9"
    )

    assert client_ip(request) == "203.0.113.7"


def test_garbage_in_the_forwarded_header_falls_back_to_the_peer(rf, settings):
    settings.BEHIND_PROXY = True
    request = rf.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="<script>")

    assert client_ip(request) == "10.0.0.5"


def test_clients_behind_a_trusted_proxy_are_limited_one_by_one(client, settings, rate_limits):
    settings.BEHIND_PROXY = True
    settings.PUBLIC_POST_RATE = "1/10m"

    def through_proxy(client_address):
        return post_lost_link(client, address="10.0.0.5", HTTP_X_FORWARDED_FOR=client_address)

    assert through_proxy("203.0.113.7").status_code == 302
    assert through_proxy("203.0.113.7").status_code == 429
    assert through_proxy("198.51.100.20").status_code == 302


# Honeypot


def test_honeypot_filled_in_is_refused_beside_the_field_and_nothing_is_sent(
    client, recorded_senders
):
    response = post_lost_link(client, data={HONEYPOT_FIELD: "http://spam.example"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Leave this field empty" in page
    assert recorded_senders == []


def test_honeypot_left_empty_lets_a_person_through(client, recorded_senders):
    response = post_lost_link(client, data={HONEYPOT_FIELD: ""})

    assert response.status_code == 302
    assert len(recorded_senders) == 1


def test_honeypot_field_is_out_of_sight_and_out_of_the_tab_order(client):
    page = client.get("/lien-perdu/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'id="div_id_{HONEYPOT_FIELD}" class="mb-3 form-hp"' in page
    assert 'tabindex="-1"' in page and 'autocomplete="off"' in page


def test_honeypot_field_shows_itself_when_someone_filled_it_in():
    form = LostLinkForm(data={"email": "ada@example.org", HONEYPOT_FIELD: "x"})

    assert not form.is_valid()
    assert "form-hp" not in form[HONEYPOT_FIELD].css_classes()


# The counter store


@pytest.mark.django_db(transaction=True)
def test_database_cache_counts_every_increment_from_parallel_requests():
    cache = caches["default"]
    cache.set("counter", 0, 60)
    threads_count, per_thread = 8, 10
    errors = []

    def bump():
        try:
            for _ in range(per_thread):
                cache.incr("counter")
        except Exception as exc:  # reported below, not lost in the thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=bump) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert cache.get("counter") == threads_count * per_thread
    cache.clear()


def _expiries():
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM iness_cache")
        return cursor.fetchall()


def test_database_cache_increment_keeps_the_counters_expiry():
    cache = caches["default"]
    cache.clear()
    cache.set("window", 1, 60)  # a rate window that ends in a minute
    before = _expiries()

    cache.incr("window")
    cache.incr("window")

    assert cache.get("window") == 3
    assert _expiries() == before  # Django's own incr would push it to the default 5 minutes


def test_database_cache_increment_of_a_missing_key_fails_as_djangos_does():
    cache = caches["default"]

    with pytest.raises(ValueError):
        cache.incr("never-set")


def _redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


@pytest.fixture
def redis_cache(settings):
    if not _redis_up():
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail("Redis is not answering on 127.0.0.1:6379")
        pytest.skip("Redis is not answering on 127.0.0.1:6379")
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "iness-tests",
        },
    }
    caches["default"].clear()
    yield caches["default"]
    caches["default"].clear()


def test_rate_limit_counts_in_redis_when_configured(client, settings, rate_limits, redis_cache):
    settings.PUBLIC_POST_RATE = "2/10m"

    statuses = [post_lost_link(client).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert any(key.startswith(b"iness-tests") for key in redis_cache._cache.get_client().keys())


def test_rate_limit_lets_posts_through_when_its_store_is_down(client, settings):
    settings.RATELIMIT_ENABLE = True
    settings.PUBLIC_POST_RATE = "1/10m"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        },
    }

    assert [post_lost_link(client).status_code for _ in range(2)] == [302, 302]


# Configuration


@pytest.mark.parametrize(
    ("variables", "backend"),
    [
        ({}, "iness.cache.AtomicDatabaseCache"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/2"}, "django.core.cache.backends.redis.RedisCache"),
        ({"CACHE_URL": "dbcache://iness_cache"}, "iness.cache.AtomicDatabaseCache"),
    ],
)
def test_counter_store_follows_the_environment(variables, backend):
    from tests.iness.test_settings import run_django

    result = run_django(
        {"DEBUG": "true", **variables},
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == backend


def test_a_mistyped_rate_stops_the_site_at_start_up():
    from tests.iness.test_settings import run_django

    result = run_django({"DEBUG": "true", "PUBLIC_POST_RATE": "20 per hour"}, "print('started')")

    assert result.returncode != 0
    assert "PUBLIC_POST_RATE='20 per hour' is not a rate" in result.stderr
