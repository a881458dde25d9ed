import csv
import io

import pytest
from django.urls import reverse

from proposals.models import Review

from .conftest import action, changelist, propose

pytestmark = pytest.mark.django_db

PROPOSALS = "proposals.proposal"


def page(proposal):
    return reverse("admin:proposals_proposal_change", args=[proposal.pk])


def review_form(proposal, *, score, comment="", review=None) -> dict:
    """The "your review" part of the proposal page, filled in."""
    data = {
        "reviews-TOTAL_FORMS": "1",
        "reviews-INITIAL_FORMS": "1" if review else "0",
        "reviews-MIN_NUM_FORMS": "0",
        "reviews-MAX_NUM_FORMS": "1",
        "reviews-0-score": str(score),
        "reviews-0-comment": comment,
        "reviews-0-proposal": str(proposal.pk),
    }
    if review:
        data["reviews-0-id"] = str(review.pk)
    return data


@pytest.fixture
def bruno(make_organiser):
    return make_organiser(username="bruno")


def test_a_member_writes_their_own_review(organiser, organiser_client, event):
    proposal = propose(event)

    response = organiser_client.post(page(proposal), review_form(proposal, score=4, comment="Oui"))

    assert response.status_code == 302
    review = Review.objects.get()
    assert (review.proposal, review.reviewer, review.score, review.comment) == (
        proposal,
        organiser,
        4,
        "Oui",
    )


def test_a_member_edits_their_own_review(organiser, organiser_client, event):
    proposal = propose(event)
    review = Review.objects.create(proposal=proposal, reviewer=organiser, score=2)

    organiser_client.post(page(proposal), review_form(proposal, score=5, review=review))

    review.refresh_from_db()
    assert review.score == 5
    assert Review.objects.count() == 1


def test_a_score_outside_one_to_five_is_refused_beside_the_field(organiser_client, event):
    proposal = propose(event)

    response = organiser_client.post(page(proposal), review_form(proposal, score=9))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Review.objects.exists()


def test_a_member_cannot_change_someone_elses_review(organiser_client, bruno, event):
    proposal = propose(event)
    theirs = Review.objects.create(proposal=proposal, reviewer=bruno, score=1, comment="Non")

    organiser_client.post(page(proposal), review_form(proposal, score=5, review=theirs))

    theirs.refresh_from_db()
    assert (theirs.score, theirs.comment, theirs.reviewer) == (1, "Non", bruno)


def test_a_second_review_form_updates_the_first_instead(organiser, organiser_client, event):
    proposal = propose(event)
    Review.objects.create(proposal=proposal, reviewer=organiser, score=2)

    # A second tab opened before the first review was saved.
    organiser_client.post(page(proposal), review_form(proposal, score=3))

    assert list(Review.objects.values_list("reviewer", "score")) == [(organiser.pk, 3)]


def test_the_review_form_shows_only_ones_own_review(organiser, organiser_client, bruno, event):
    proposal = propose(event)
    Review.objects.create(proposal=proposal, reviewer=bruno, score=1)

    response = organiser_client.get(page(proposal))

    (formset,) = [f.formset for f in response.context["inline_admin_formsets"]]
    assert list(formset.queryset) == []


def test_others_scores_stay_hidden_until_one_has_reviewed(
    organiser, organiser_client, bruno, event
):
    proposal = propose(event)
    Review.objects.create(proposal=proposal, reviewer=bruno, score=2, comment="Trop flou")

    before = organiser_client.get(page(proposal)).content.decode()
    assert "Trop flou" not in before and "2/5" not in before
    assert "1 other member has reviewed this proposal" in before

    Review.objects.create(proposal=proposal, reviewer=organiser, score=4)
    after = organiser_client.get(page(proposal)).content.decode()
    assert "Trop flou" in after and "2/5" in after


def test_the_list_hides_the_average_until_one_has_reviewed(
    organiser, organiser_client, bruno, event
):
    reviewed, unreviewed = propose(event, title="Reviewed"), propose(event, title="Unreviewed")
    Review.objects.create(proposal=reviewed, reviewer=bruno, score=2)
    Review.objects.create(proposal=reviewed, reviewer=organiser, score=5)
    Review.objects.create(proposal=unreviewed, reviewer=bruno, score=1)

    response = organiser_client.get(changelist(PROPOSALS) + "?o=7")  # sorted by average

    rows = {p.title: (p.review_count, p.average_score) for p in response.context["cl"].result_list}
    assert rows == {"Reviewed": (2, 3.5), "Unreviewed": (1, None)}
    text = response.content.decode()
    assert "3.5" in text and "review it to see" in text


def test_the_my_review_filter(organiser, organiser_client, event):
    done, todo = propose(event, title="Done"), propose(event, title="Todo")
    Review.objects.create(proposal=done, reviewer=organiser, score=3)

    done_list = organiser_client.get(changelist(PROPOSALS) + "?my_review=done")
    todo_list = organiser_client.get(changelist(PROPOSALS) + "?my_review=todo")

    assert [p.title for p in done_list.context["cl"].result_list] == ["Done"]
    assert [p.title for p in todo_list.context["cl"].result_list] == ["Todo"]
    assert todo.pk


def test_exports_hide_the_average_until_one_has_reviewed(organiser_client, bruno, event):
    proposal = propose(event)
    Review.objects.create(proposal=proposal, reviewer=bruno, score=2)

    response = action(organiser_client, PROPOSALS, "export_csv", [proposal], follow=False)

    header, row = csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
    columns = dict(zip(header, row, strict=True))
    assert columns["number of reviews"] == "1"
    assert columns["average score (once you have reviewed)"] == ""
