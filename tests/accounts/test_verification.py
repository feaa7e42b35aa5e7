"""Real-name verification of residents, end to end through HTTP: register, verify or reject, resubmit."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grassroots.accounts.models import ResidentVerification, RoleGrant, User
from grassroots.accounts.services.verification import VerificationRequired, require_verified
from grassroots.workflow.models import Notification
from grassroots.workflow.selectors import timeline
from grassroots.workflow.services import transition
from tests.factories import Level, make_area
from tests.workflow.factories import make_people, register


@pytest.fixture
def people(cast, tree):
    return make_people(tree)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def transition_url(record, name: str) -> str:
    return f"/workflow/{ContentType.objects.get_for_model(record).pk}/{record.pk}/{name}/"


def sign_up(tree, username="wangxm", area=None, **changes) -> Client:
    client = Client()
    data = {
        "username": username,
        "full_name": "王小明",
        "phone": "13912345678",
        "community": tree.community_a.pk,
        "area": (area or tree.courtyard_a).pk,
        "password1": "Qingjiang-2026!",
        "password2": "Qingjiang-2026!",
        "consent": "on",
    }
    data.update(changes)
    response = client.post("/accounts/register/", data)
    assert response.status_code == 302, response.context["form"].errors
    return client


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("verb", flat=True))


def test_register_verify_and_the_resident_is_verified(
    cast, people, tree, client_for, django_capture_on_commit_callbacks
):
    # 1. the resident registers and lands, signed in, on their request
    with django_capture_on_commit_callbacks(execute=True):
        resident_client = sign_up(tree)
    user = User.objects.get(username="wangxm")
    application = ResidentVerification.objects.get(user=user)
    assert (user.full_name, user.phone, user.home_area, user.verified_at) == (
        "王小明",
        "13912345678",
        tree.courtyard_a,
        None,
    )
    assert RoleGrant.objects.filter(user=user, role="resident", area=tree.courtyard_a).exists()
    page = resident_client.get(application.get_absolute_url()).content.decode()
    assert "待核验" in page and "提交申请" in page
    assert resident_client.get("/accounts/verification/mine/")["Location"] == application.get_absolute_url()
    with pytest.raises(VerificationRequired):
        require_verified(user)

    # 2. the community's verifiers are told, and find it in their queue
    assert inbox(cast.worker) == ["王小明 提交了实名核验申请（一号院落），请核验。"]
    assert inbox(cast.street_a) == []
    worker = client_for(cast.worker)
    queue = worker.get("/accounts/verification/").content.decode()
    assert "王小明" in queue and "139****5678" in queue and "桥楼社区 / 第一网格 / 一号院落" in queue

    # 3. a worker verifies through the request's page buttons
    with django_capture_on_commit_callbacks(execute=True):
        response = worker.post(transition_url(application, "verify"), {"comment": "已上门核实"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.verified_at is not None
    require_verified(user)  # no longer raises
    assert inbox(user) == ["您的实名核验已通过，现在可以参与投票和签署。"]
    assert "王小明" not in worker.get("/accounts/verification/").content.decode()
    page = resident_client.get(application.get_absolute_url()).content.decode()
    assert "已核验" in page and "核验通过" in page and "已上门核实" in page


def test_reject_then_resubmit_then_verify(cast, people, tree, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resident_client = sign_up(tree)
    application = ResidentVerification.objects.get()
    worker = client_for(cast.worker)

    with django_capture_on_commit_callbacks(execute=True):
        worker.post(transition_url(application, "reject"), {"comment": "门牌号与实际不符"})
    application.refresh_from_db()
    assert (application.state, application.reason) == ("rejected", "门牌号与实际不符")
    assert inbox(application.user)[-1] == "您的实名核验被退回：门牌号与实际不符"
    page = resident_client.get(application.get_absolute_url()).content.decode()
    assert "门牌号与实际不符" in page
    assert f'href="/accounts/verification/{application.pk}/resubmit/"' in page

    # the resident corrects the phone and moves to a building of the same community
    building = make_area("2栋", Level.BUILDING, tree.grid_a)
    resubmit_url = f"/accounts/verification/{application.pk}/resubmit/"
    form_page = resident_client.get(resubmit_url).content.decode()
    assert 'value="王小明"' in form_page
    with django_capture_on_commit_callbacks(execute=True):
        response = resident_client.post(
            resubmit_url,
            {
                "full_name": "王小明",
                "phone": "13700000001",
                "community": tree.community_a.pk,
                "area": building.pk,
                "comment": "已更正",
            },
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.state, application.phone, application.area) == ("pending", "13700000001", building)
    assert application.reason == ""
    assert list(RoleGrant.objects.filter(user=application.user).values_list("role", "area")) == [
        ("resident", building.pk)
    ]
    assert inbox(cast.worker)[-1] == "王小明 修改后重新提交了实名核验申请（2栋），请核验。"

    worker.post(transition_url(application, "verify"))
    application.user.refresh_from_db()
    assert application.user.identity_verified
    assert application.user.phone == "13700000001"
    assert application.user.home_area == building
    history = [entry.log.transition for entry in timeline(application)]
    assert history == ["start", "reject", "resubmit", "verify"]


def test_resubmission_form_errors_stay_on_their_fields(cast, tree, client_for):
    resident_client = sign_up(tree)
    application = ResidentVerification.objects.get()
    client_for(cast.worker).post(transition_url(application, "reject"), {"comment": "姓名错误"})
    response = resident_client.post(
        f"/accounts/verification/{application.pk}/resubmit/",
        {"full_name": "", "phone": "110", "community": tree.community_a.pk, "area": tree.courtyard_a.pk},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"full_name", "phone"}
    application.refresh_from_db()
    assert application.state == "rejected"


def test_only_the_applicant_may_open_the_resubmission_form(cast, people, tree, client_for):
    resident_client = sign_up(tree)
    application = ResidentVerification.objects.get()
    url = f"/accounts/verification/{application.pk}/resubmit/"
    assert resident_client.get(url).status_code == 403  # still pending
    client_for(cast.worker).post(transition_url(application, "reject"), {"comment": "姓名错误"})
    assert client_for(cast.worker).get(url).status_code == 403  # may see it, may not resubmit it
    assert client_for(cast.resident).get(url).status_code == 404
    assert client_for(cast.street_b).post(url, {"full_name": "x"}).status_code == 404


@pytest.mark.parametrize("who", ["street_b", "worker_b", "resident"])
def test_an_outsider_can_neither_see_nor_act_on_a_request(cast, people, tree, client_for, who):
    application = register(tree.courtyard_a)
    client = client_for(getattr(cast, who, None) or getattr(people, who))
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.post(transition_url(application, "verify")).status_code == 404
    assert client.post(transition_url(application, "reject"), {"comment": "x"}).status_code == 404
    assert "王小明" not in client.get("/accounts/verification/").content.decode()
    application.refresh_from_db()
    assert application.state == "pending"


def test_officials_above_see_the_queue_but_only_the_community_acts(cast, tree, client_for):
    application = register(tree.courtyard_a)
    street = client_for(cast.street_a)
    assert "王小明" in street.get("/accounts/verification/").content.decode()
    page = street.get(application.get_absolute_url()).content.decode()
    assert transition_url(application, "verify") not in page
    assert application.phone not in page  # masked for supervisors
    assert application.phone in client_for(cast.worker).get(application.get_absolute_url()).content.decode()
    assert street.post(transition_url(application, "verify")).status_code == 403


def test_a_resident_has_no_queue(cast, client_for):
    assert client_for(cast.resident).get("/accounts/verification/").status_code == 403
    assert Client().get("/accounts/verification/").status_code == 302


def test_the_queue_is_oldest_first_and_filters_by_state(cast, tree, client_for):
    first = register(tree.courtyard_a, username="a1", full_name="张一")
    register(tree.courtyard_a, username="a2", full_name="张二")

    done = register(tree.courtyard_a, username="a3", full_name="张三")
    transition(done, "verify", actor=cast.worker)
    client = client_for(cast.worker)
    queue = client.get("/accounts/verification/").content.decode()
    assert queue.index("张一") < queue.index("张二")
    assert "张三" not in queue
    verified = client.get("/accounts/verification/?state=verified").content.decode()
    assert "张三" in verified and "张一" not in verified
    assert first.get_absolute_url() in queue


def test_the_queue_query_count_does_not_grow_with_rows(cast, tree, client_for):
    client = client_for(cast.worker)

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/accounts/verification/").status_code == 200
        return len(queries)

    for i in range(3):
        register(tree.courtyard_a, username=f"q{i}")
    count_queries()  # warm the session
    with_3 = count_queries()
    other_grid = make_area("第二网格", Level.GRID, tree.community_a)
    other_courtyard = make_area("二号院落", Level.COURTYARD, other_grid)
    for i in range(3, 30):
        register(other_courtyard if i % 2 else tree.courtyard_a, username=f"q{i}")
    with_30 = count_queries()
    # session, user, grants, the shell's few; then: count, page (with areas), the addresses' ancestors
    assert with_3 == with_30 <= 12


def test_require_verified_explains_itself():
    with pytest.raises(VerificationRequired) as refused:
        require_verified(AnonymousUser())
    assert str(refused.value) == "请先登录。"
    unverified = User(username="x")
    with pytest.raises(VerificationRequired) as refused:
        require_verified(unverified)
    assert "尚未通过社区的实名核验" in str(refused.value)


def test_the_queue_exports_its_requests_masked_and_none_of_another_street(cast, tree, client_for):
    from django.urls import reverse

    from tests.imports.helpers import read_xlsx

    register(tree.courtyard_a, username="a1", full_name="=张一", phone="13912345678")
    done = register(tree.courtyard_a, username="a2", full_name="张二")
    transition(done, "verify", actor=cast.worker)
    courtyard_b = make_area("育才院落", Level.COURTYARD, make_area("育才网格", Level.GRID, tree.community_b))
    register(courtyard_b, username="b1", full_name="育才居民")
    url = reverse("imports:list_export", args=["accounts-verifications"])
    worker = client_for(cast.worker)
    assert 'data-export="accounts-verifications"' in worker.get("/accounts/verification/").content.decode()
    rows = read_xlsx(b"".join(worker.post(url).streaming_content))["实名核验"]
    assert rows[0] == ["提交时间", "姓名", "手机号", "居住地址", "状态", "核验人"]
    assert [r[1:4] for r in rows[1:]] == [["=张一", "139****5678", "桥楼社区 / 第一网格 / 一号院落"]]
    verified = read_xlsx(b"".join(worker.post(url + "?state=verified").streaming_content))["实名核验"]
    assert [(r[1], r[5]) for r in verified[1:]] == [("张二", cast.worker.display_name)]
    theirs = read_xlsx(b"".join(client_for(cast.street_b).post(url).streaming_content))["实名核验"]
    assert [r[1] for r in theirs[1:]] == ["育才居民"]
    assert client_for(cast.resident).post(url).status_code == 403
