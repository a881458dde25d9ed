import pytest

from iness.mail import queue_message
from iness.models import OutgoingMail

from .conftest import action, changelist, messages_of

pytestmark = pytest.mark.django_db

MAIL = "iness.outgoingmail"


@pytest.fixture
def mails():
    made = {}
    for status in ["sent", "queued", "failed"]:
        mail = queue_message(to=f"{status}@example.org", subject=status, body="Text", kind="t")
        OutgoingMail.objects.filter(pk=mail.pk).update(status=status, last_error="SMTPError 550")
        made[status] = mail
    return made


@pytest.mark.parametrize("status", ["sent", "queued", "failed"])
def test_outgoing_mail_is_listed_by_state(organiser_client, mails, status):
    response = organiser_client.get(changelist(MAIL) + f"?status__exact={status}")

    assert [m.to for m in response.context["cl"].result_list] == [f"{status}@example.org"]


def test_an_organiser_sends_a_failed_email_again(organiser_client, mails, mailoutbox, delivered):
    with delivered():
        response = action(organiser_client, MAIL, "send_again", [mails["failed"]])

    assert messages_of(response) == ["1 email put back in the queue."]
    assert [m.to for m in mailoutbox] == [["failed@example.org"]]
    mails["failed"].refresh_from_db()
    assert mails["failed"].status == "sent"


def test_the_list_shows_why_an_email_failed(organiser_client, mails):
    text = organiser_client.get(changelist(MAIL) + "?status__exact=failed").content.decode()

    assert "SMTPError 550" in text
