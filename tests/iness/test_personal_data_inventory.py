"""Every field that can hold personal data is accounted for by the erasure (iness.erasure).

The test walks every concrete model of the project's apps, and Django's admin log and
sessions, and fails when a field that can hold text or files (char, text, email, JSON, file,
IP address, binary...) is neither declared erased (and how) nor declared not personal, with
`iness.erasure.declare` next to the code that erases it. A new model, or a new field on an old
one, cannot be forgotten. Fields with a fixed list of choices hold no free text and need no
declaration; nor do numbers, dates, booleans and foreign keys (a key to a person is covered
by erasing the person).
"""

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session
from django.db import models

from iness import erasure
from iness.models import Person

PROJECT_APPS = ["iness", "registrations", "proposals", "backoffice"]
# Field classes that can hold what a person typed or sent (subclasses included: email,
# slug, URL, file path...).
CAN_HOLD_PERSONAL_DATA = (
    models.CharField,
    models.TextField,
    models.JSONField,
    models.FileField,
    models.GenericIPAddressField,
    models.BinaryField,
)


def concrete_models():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if not model._meta.abstract and not model._meta.proxy:
                yield model
    yield LogEntry
    yield Session


def fields_to_account_for(model):
    for field in model._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        if isinstance(field, CAN_HOLD_PERSONAL_DATA) and not field.choices:
            yield field.name


def label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


@pytest.mark.parametrize("model", list(concrete_models()), ids=label)
def test_every_field_that_can_hold_personal_data_is_declared(model):
    declared = erasure.declarations().get(label(model))
    erased = declared.erased if declared else {}
    not_personal = declared.not_personal if declared else {}

    missing = [name for name in fields_to_account_for(model) if name not in erased | not_personal]

    assert missing == [], (
        f"{label(model)}: declare with iness.erasure.declare whether {missing} are erased "
        "(and how) or hold no personal data"
    )


def test_declarations_name_fields_that_exist():
    for name, declaration in erasure.declarations().items():
        model = apps.get_model(name)
        fields = {field.name for field in model._meta.concrete_fields}
        unknown = set(declaration.erased) | set(declaration.not_personal)
        assert unknown <= fields, f"{name}: {unknown - fields}"
        assert not set(declaration.erased) & set(declaration.not_personal), name


def test_every_model_that_names_a_person_is_reached_by_erasure():
    """A foreign key to Person is how a record names someone: its rows' admin history is
    erased through it, and a record with erasure work of its own registers it."""
    registered = {records.model for records in erasure._records}
    naming = {relation.related_model for relation in Person._meta.related_objects}

    # Mail is erased by iness itself; the others register their records.
    assert naming - registered == {apps.get_model("iness", "OutgoingMail")}


def test_the_inventory_would_see_a_new_field():
    class Panellist(models.Model):
        person = models.ForeignKey(Person, on_delete=models.PROTECT)
        affiliation = models.CharField(max_length=100)
        role = models.CharField(max_length=10, choices=[("chair", "Chair")])

        class Meta:
            app_label = "iness"

        def __str__(self):
            return self.affiliation

    try:
        assert list(fields_to_account_for(Panellist)) == ["affiliation"]
    finally:
        apps.all_models["iness"].pop("panellist", None)
        apps.clear_cache()
