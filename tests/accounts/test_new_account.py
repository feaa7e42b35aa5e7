"""A new account with its first role, created on the users pages by whoever may grant that role there: the
same rule as granting (rank and scope), all or nothing."""

from django.urls import reverse

from grassroots.accounts.models import RoleGrant, User
from grassroots.accounts.roles import Role

URL = reverse("accounts:account_create")
GOOD_PASSWORD = "a-Long-initial-pass-2026"


def form(area, role=Role.COMMUNITY_WORKER, **changes):
    data = {
        "username": "new_worker",
        "full_name": "新同志",
        "phone": "13900002222",
        "email": "",
        "role": role,
        "area": area.pk,
        "password1": GOOD_PASSWORD,
        "password2": GOOD_PASSWORD,
    }
    data.update(changes)
    return data


def test_a_street_official_creates_a_worker_in_their_street(cast, tree, client_for):
    client = client_for(cast.street_a)
    assert "新建账号" in client.get(reverse("accounts:user_list")).content.decode()
    assert client.get(URL).status_code == 200
    response = client.post(URL, form(tree.community_a))
    user = User.objects.get(username="new_worker")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:user_detail", args=[user.pk])
    assert user.full_name == "新同志" and user.phone == "13900002222" and user.check_password(GOOD_PASSWORD)
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.area) == (Role.COMMUNITY_WORKER, tree.community_a)
    assert grant.granted_by == cast.street_a
    # the outsider does not see the new account
    assert client_for(cast.street_b).get(reverse("accounts:user_detail", args=[user.pk])).status_code == 404


def test_refusals_write_nothing(cast, tree, client_for):
    client = client_for(cast.street_a)
    # another street's community: out of scope, 404
    assert client.post(URL, form(tree.community_b)).status_code == 404
    # a role above one's own is not offered
    assert client.post(URL, form(tree.street_a, role=Role.CITY_OFFICIAL)).status_code == 400
    # a taken username (any case), a weak password, mismatched passwords, a malformed phone: 400 on the field
    for changes, message in (
        ({"username": "WORKER"}, "已被使用"),
        ({"password1": "12345678", "password2": "12345678"}, "password"),
        ({"password2": "something-else-2026"}, "两次输入的密码不一致"),
        ({"phone": "12345"}, "请输入正确的手机号码"),
    ):
        response = client.post(URL, form(tree.community_a, **changes))
        assert response.status_code == 400, changes
        if message != "password":
            assert message in response.content.decode(), changes
    assert not User.objects.filter(username__in=["new_worker", "WORKER"]).exists()


def test_who_may_not_grant_may_not_create_accounts(cast, tree, client_for):
    for who in (cast.worker, cast.auditor):
        client = client_for(who)
        assert client.get(URL).status_code == 403
        assert client.post(URL, form(tree.community_a)).status_code == 403
        assert "新建账号" not in client.get(reverse("accounts:user_list")).content.decode()
    assert client_for(cast.resident).get(URL).status_code == 403
    assert not User.objects.filter(username="new_worker").exists()
