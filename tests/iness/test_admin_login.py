import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def organiser(settings, admin_login_throttling):
    # Every attempt hashes a password: the slow production hasher would take seconds each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return get_user_model().objects.create_user(
        username="claire", password=PASSWORD, is_staff=True, is_superuser=True
    )


def sign_in(client, password, address="203.0.113.7", username="claire"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_organiser_signs_in_with_the_right_password(client, organiser):
    response = sign_in(client, PASSWORD)

    assert response.status_code == 302
    assert response.url == "/admin/"


def test_admin_login_is_locked_after_five_failures_even_with_the_right_password(client, organiser):
    failures = [sign_in(client, f"wrong guess {i}").status_code for i in range(5)]

    locked = sign_in(client, PASSWORD)

    assert failures[:4] == [200, 200, 200, 200]
    assert locked.status_code == 429
    assert "Sign-in paused" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="claire").failures_since_start >= 5


def test_admin_lockout_does_not_lock_the_same_organiser_out_from_elsewhere(client, organiser):
    for i in range(5):
        sign_in(client, f"wrong guess {i}", address="203.0.113.7")

    response = sign_in(client, PASSWORD, address="198.51.100.20")

    assert response.status_code == 302


def test_a_success_before_the_limit_forgets_earlier_typos(client, organiser):
    for i in range(4):
        sign_in(client, f"typo {i}")
    sign_in(client, PASSWORD)
    client.logout()

    for i in range(4):
        sign_in(client, f"typo again {i}")

    assert sign_in(client, PASSWORD).status_code == 302


@pytest.mark.parametrize("too_weak", ["Short1!pass", "123456789012", "password1234"])
def test_passwords_need_twelve_characters_and_not_a_common_or_numeric_one(too_weak):
    with pytest.raises(ValidationError):
        validate_password(too_weak)


def test_a_long_uncommon_password_is_accepted():
    validate_password("tulip-orbit-Kestrel-92")


def test_admin_login_counts_an_ipv6_64_as_one_client(client, organiser):
    for i in range(5):
        sign_in(client, f"wrong guess {i}", address=f"2001:db8:1:2::{i + 1}")

    same_64 = sign_in(client, PASSWORD, address="2001:db8:1:2:ffff:ffff:ffff:ffff")
    other_64 = sign_in(client, PASSWORD, address="2001:db8:1:3::1")

    assert same_64.status_code == 429
    assert other_64.status_code == 302
