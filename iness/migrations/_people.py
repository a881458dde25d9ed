"""Helpers for the migrations that move sign-ups', proposals' and mails' people to
iness.Person (registrations 0005, proposals 0006, backoffice 0005). Not a migration: the
loader skips modules whose name starts with "_".

They work on the historical models the migration gives (`apps`), and never lose a row: an
address the email-key rules refuse gets a key of its own (iness.identity.key_or_refused).
"""

import re

from iness.identity import key_or_refused

ANONYMISED = "@anonymised.invalid"
LANGUAGES = {"fr", "en"}
# "Name <address>", as the organisers' notices give a person.
QUOTED_ADDRESS = re.compile(r"<([^<>\s]+@[^<>\s]+)>")


def person_for(apps, row, *, key=None):
    """The Person of a sign-up's or a proposal's row (its email, names, language, consent,
    news wish), made from the row if the key is new. A known person keeps the names and
    language they first gave, and takes the latest consent and any wish for news."""
    Person = apps.get_model("iness", "Person")
    key = key or key_or_refused(row.email)
    person = Person.objects.filter(email_key=key).first()
    if person is None:
        return Person.objects.create(
            email=row.email.strip(),
            email_key=key,
            first_name=row.first_name,
            last_name=row.last_name,
            language=row.language if row.language in LANGUAGES else "fr",
            consent_at=row.consent_at,
            privacy_notice_version=row.privacy_notice_version,
            wants_news=row.wants_news,
            # Erased rows (anonymised-...@anonymised.invalid) make erased people.
            anonymised_at=row.anonymised_at if row.email.endswith(ANONYMISED) else None,
            created_at=row.created_at,
        )
    if row.consent_at and (person.consent_at is None or row.consent_at > person.consent_at):
        person.consent_at = row.consent_at
        person.privacy_notice_version = row.privacy_notice_version
    person.wants_news = person.wants_news or row.wants_news
    person.save(update_fields=["consent_at", "privacy_notice_version", "wants_news"])
    return person


def link_mails(apps, mails, *, notices=()):
    """File each of `mails` (a queryset of OutgoingMail) under the person it went to, or, for
    the organisers' notices among them (`notices`: kinds), the person whose address it
    quotes as "Name <address>". Anonymised mails and unknown addresses stay unfiled."""
    Person = apps.get_model("iness", "Person")
    people = dict(Person.objects.values_list("email_key", "pk"))
    for mail in mails.filter(person__isnull=True).exclude(to__endswith=ANONYMISED).iterator():
        if mail.kind in notices:
            found = QUOTED_ADDRESS.search(mail.body)
            address = found.group(1) if found else ""
        else:
            address = mail.to
        person = people.get(key_or_refused(address)) if address else None
        if person is not None:
            mails.model.objects.filter(pk=mail.pk).update(person_id=person)


def give_people_back(apps, app_label, model_name):
    """Undo: copy each row's person back into the row's own fields (the migration that took
    them away has put them back, empty)."""
    model = apps.get_model(app_label, model_name)
    for row in model.objects.select_related("person").exclude(person=None):
        person = row.person
        row.first_name = person.first_name
        row.last_name = person.last_name
        row.email = person.email
        row.language = person.language
        row.consent_at = person.consent_at
        row.privacy_notice_version = person.privacy_notice_version
        row.wants_news = person.wants_news
        row.save()
