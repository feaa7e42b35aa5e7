"""The generic transition view: POST /workflow/<content type>/<id>/<transition>/, and the buttons."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from grassroots.accounts.models import ResidentVerification
from grassroots.areas.models import Area
from grassroots.workflow.models import TransitionLog
from tests.factories import PASSWORD


def url_for(record, name: str) -> str:
    return f"/workflow/{ContentType.objects.get_for_model(record).pk}/{record.pk}/{name}/"


def state_of(record) -> str:
    return ResidentVerification.objects.get(pk=record.pk).state


def applicant_client(application) -> Client:
    client = Client()
    assert client.login(username=application.user.username, password=PASSWORD)
    return client


def test_a_verifier_takes_a_transition_and_is_sent_back(application, cast, client_for):
    response = client_for(cast.worker).post(url_for(application, "verify"), {"comment": "电话核实"})
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert state_of(application) == "verified"
    assert TransitionLog.objects.filter(transition="verify", comment="电话核实").count() == 1


def test_next_is_followed_only_within_the_site(application, cast, client_for):
    client = client_for(cast.worker)
    response = client.post(
        url_for(application, "reject"), {"comment": "资料不全", "next": "https://evil.example/"}
    )
    assert response["Location"] == application.get_absolute_url()


def test_next_within_the_site_is_followed(application, cast, client_for):
    response = client_for(cast.worker).post(
        url_for(application, "verify"), {"next": "/accounts/verification/"}
    )
    assert response["Location"] == "/accounts/verification/"


@pytest.mark.parametrize("who", ["street_b", "worker_b", "resident"])
def test_someone_who_cannot_see_the_record_gets_404(application, cast, people, client_for, who):
    actor = getattr(cast, who, None) or getattr(people, who)
    assert client_for(actor).post(url_for(application, "verify")).status_code == 404
    assert state_of(application) == "pending"


def test_someone_who_sees_the_record_without_the_role_gets_403_with_the_reason(application, cast, client_for):
    response = client_for(cast.street_a).post(url_for(application, "verify"))
    assert response.status_code == 403
    assert "您没有权限对该记录执行“核验通过”。" in response.content.decode()
    assert state_of(application) == "pending"


def test_the_applicant_cannot_verify_their_own_request(application):
    response = applicant_client(application).post(url_for(application, "verify"))
    assert response.status_code == 403
    assert state_of(application) == "pending"


def test_a_transition_from_the_wrong_state_gets_403_with_the_reason(application, cast, client_for):
    client = client_for(cast.worker)
    client.post(url_for(application, "verify"))
    response = client.post(url_for(application, "reject"), {"comment": "再退回"})
    assert response.status_code == 403
    assert "该记录当前为“已核验”，不能执行“退回”。" in response.content.decode()
    assert state_of(application) == "verified"


def test_a_missing_reason_sends_back_with_the_message(application, cast, client_for):
    client = client_for(cast.worker)
    response = client.post(url_for(application, "reject"), {"comment": ""}, follow=True)
    assert "请填写退回理由。" in response.content.decode()
    assert state_of(application) == "pending"


def test_unknown_transitions_and_models_answer_404(application, cast, tree, client_for):
    client = client_for(cast.worker)
    assert client.post(url_for(application, "destroy")).status_code == 404
    # Area is not a workflow model, even though the worker may see it
    assert client.post(url_for(tree.courtyard_a, "verify")).status_code == 404
    assert client.post(f"/workflow/999999/{application.pk}/verify/").status_code == 404
    assert client.post(url_for(ResidentVerification(pk=999999), "verify")).status_code == 404


def test_only_post_and_only_signed_in(application, cast, client_for):
    assert client_for(cast.worker).get(url_for(application, "verify")).status_code == 405
    response = Client().post(url_for(application, "verify"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert state_of(application) == "pending"


def test_the_buttons_show_what_the_viewer_may_do(application, cast, client_for):
    page = client_for(cast.worker).get(application.get_absolute_url()).content.decode()
    assert f'action="{url_for(application, "verify")}"' in page
    assert f'action="{url_for(application, "reject")}"' in page
    assert "退回理由" in page

    for client in (client_for(cast.street_a), applicant_client(application)):
        page = client.get(application.get_absolute_url()).content.decode()
        assert url_for(application, "verify") not in page
        assert url_for(application, "reject") not in page


def test_a_retired_address_hides_verify_and_explains_on_post(application, cast, tree, client_for):
    Area.objects.filter(pk=tree.courtyard_a.pk).update(retired=True)
    client = client_for(cast.worker)
    page = client.get(application.get_absolute_url()).content.decode()
    assert url_for(application, "verify") not in page
    response = client.post(url_for(application, "verify"))
    assert response.status_code == 403
    assert "该地址已撤销" in response.content.decode()
