import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from iness.erasure import erase_person
from registrations import services
from registrations.certificates import certificate_pdf
from registrations.models import Feedback, Registration

from .conftest import fill, make_past, make_today, mark_present, sign_up

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# Check-in


def test_check_in_marks_a_confirmed_attendee_present_on_the_day(event):
    registration = sign_up(event).registration
    make_today(event)

    assert services.check_in(registration=registration, by="claire") is True

    registration.refresh_from_db()
    assert registration.checked_in_at is not None


def test_check_in_twice_keeps_the_first_time(event):
    registration = sign_up(event).registration
    make_today(event)
    services.check_in(registration=registration, by="claire")
    first = Registration.objects.get(pk=registration.pk).checked_in_at

    assert services.check_in(registration=registration, by="claire") is False
    assert Registration.objects.get(pk=registration.pk).checked_in_at == first


def test_undo_check_in_takes_the_mark_back(event):
    registration = sign_up(event).registration
    make_today(event)
    services.check_in(registration=registration, by="claire")

    services.undo_check_in(registration=registration, by="claire")

    assert Registration.objects.get(pk=registration.pk).checked_in_at is None


def test_check_in_is_refused_before_the_day(event):
    registration = sign_up(event).registration

    with pytest.raises(services.NotPresent):
        services.check_in(registration=registration, by="claire")


def test_check_in_is_refused_for_someone_on_the_waiting_list(event):
    fill(event, 20)
    waiting = sign_up(event).registration
    make_today(event)

    with pytest.raises(services.NotPresent):
        services.check_in(registration=waiting, by="claire")
    assert Registration.objects.get(pk=waiting.pk).checked_in_at is None


def test_attendance_counts_present_and_expected(event):
    first, second, _third = fill(event, 3)
    make_today(event)
    services.check_in(registration=first, by="claire")
    services.check_in(registration=second, by="claire")

    assert services.attendance(event) == services.day.Attendance(expected=3, present=2)


# Certificates


def test_certificate_pdf_names_the_person_the_day_the_place_and_the_committee(event):
    registration = sign_up(event, first_name="Zoé", last_name="Lœwy-Dupré").registration

    text = pdf_text(certificate_pdf(registration, language="fr"))

    assert "Attestation de présence" in text.replace("\n", " ") or "ATTESTATION" in text
    assert "Zoé Lœwy-Dupré" in text
    assert "Journée test" in text
    assert "Villa Thoréton" in text
    assert "Alice Martin" in text and "Bruno Petit" in text


def test_certificate_pdf_is_in_english_for_an_english_reader(event):
    registration = sign_up(event).registration

    text = pdf_text(certificate_pdf(registration, language="en"))

    assert "CERTIFICATE OF ATTENDANCE" in text
    assert "Test day" in text


def test_release_mails_a_certificate_to_each_person_present_once(event, mailoutbox, delivered):
    present, absent = fill(event, 2)
    make_past(event)
    mark_present(present)

    with delivered():
        released = services.release_certificates(event=event, by="claire")
    again = services.release_certificates(event=event, by="claire")

    assert (released, again) == (1, 0)
    [message] = mailoutbox
    assert message.to == [present.person.email]
    filename, content, mimetype = message.attachments[0]
    assert (filename, mimetype) == ("journee-test-attestation.pdf", "application/pdf")
    assert present.person.full_name in pdf_text(content)
    assert "/mon-inscription/" in message.body
    assert Registration.objects.get(pk=absent.pk).certificate_released_at is None


def test_release_is_refused_before_the_day_ends(event):
    make_today(event)

    with pytest.raises(services.NotAfterDay):
        services.release_certificates(event=event, by="claire")


def test_certificate_mail_is_in_the_persons_language(event, mailoutbox, delivered):
    registration = sign_up(event, language="fr").registration
    make_past(event)
    mark_present(registration)

    with delivered():
        services.release_certificates(event=event, by="claire")

    assert "attestation" in mailoutbox[0].subject.lower()
    assert "Attestation de présence".upper() in pdf_text(mailoutbox[0].attachments[0][1])


# Feedback


def feedback(**overrides):
    return services.FeedbackData(
        **{"overall": 5, "exchanges": 4, "organisation": 3, "comment": "Très riche."} | overrides
    )


def test_feedback_is_recorded_once_after_the_day(event):
    registration = sign_up(event).registration
    make_past(event)

    services.give_feedback(registration=registration, data=feedback())
    with pytest.raises(services.FeedbackRefused):
        services.give_feedback(registration=registration, data=feedback(overall=1))

    assert Feedback.objects.get().overall == 5


def test_feedback_is_refused_before_the_day_ends(event):
    registration = sign_up(event).registration

    with pytest.raises(services.FeedbackRefused):
        services.give_feedback(registration=registration, data=feedback())
    assert not Feedback.objects.exists()


def test_feedback_summary_gives_averages_and_comments(event):
    first, second = fill(event, 2)
    make_past(event)
    services.give_feedback(registration=first, data=feedback(overall=5, comment="Bien."))
    services.give_feedback(registration=second, data=feedback(overall=2, comment=""))

    summary = services.feedback_summary(event)

    assert (summary.count, summary.overall) == (2, 3.5)
    assert summary.comments == ["Bien."]


def test_erasure_blanks_the_feedback_comment_and_keeps_the_ratings(event):
    registration = sign_up(event).registration
    make_past(event)
    services.give_feedback(registration=registration, data=feedback(comment="Signé Ada."))

    erase_person(registration.person, now=timezone.now())

    kept = Feedback.objects.get()
    assert (kept.comment, kept.overall) == ("", 5)
