"""Dues (党费): the amount from the bracket table (the income is not stored), payments one a month, and the
arrears list per branch."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grassroots.core.members.models import DuesBracket, DuesPayment, Member
from grassroots.core.members.selectors import dues as selectors
from grassroots.core.members.services import dues
from tests.members.fixtures_precisions import *  # noqa: F403


def test_the_standard_table_is_seeded(db):
    rows = [(b.income_from, b.income_to, b.rate, b.fixed_amount) for b in DuesBracket.objects.order_by("pk")]
    assert rows == [
        (Decimal("0"), Decimal("3000"), Decimal("0.5"), None),
        (Decimal("3000"), Decimal("5000"), Decimal("1.0"), None),
        (Decimal("5000"), Decimal("10000"), Decimal("1.5"), None),
        (Decimal("10000"), None, Decimal("2.0"), None),
        (Decimal("0"), None, Decimal("0"), Decimal("0.20")),
    ]


@pytest.mark.parametrize(
    ("income", "amount"),
    [
        ("0", "0.00"),
        ("2500", "12.50"),
        ("3000", "15.00"),  # 3000 included in the first bracket
        ("3000.01", "30.00"),
        ("5000", "50.00"),
        ("5000.01", "75.00"),
        ("10000", "150.00"),
        ("10001", "200.02"),
        ("3333.33", "33.33"),
        ("2999.99", "15.00"),  # 14.99995 rounds half up
    ],
)
def test_amount_from_income(db, income, amount):
    assert dues.dues_amount(income=Decimal(income)) == Decimal(amount)


def test_fixed_category_and_bad_input(db):
    student = DuesBracket.objects.get(fixed_amount__isnull=False)
    assert dues.dues_amount(bracket=student) == Decimal("0.20")
    with pytest.raises(ValidationError):
        dues.dues_amount(income=Decimal("-1"))
    with pytest.raises(ValidationError):
        dues.dues_amount()


def test_set_dues_keeps_only_the_amount(cast, member):
    dues.set_dues(actor=cast.secretary, member=member, income=Decimal("4200"))
    assert Member.objects.get(pk=member.pk).dues_monthly == Decimal("42.00")
    assert not any("income" in f.name for f in Member._meta.get_fields())
    with pytest.raises(PermissionDenied):
        dues.set_dues(actor=cast.street_b, member=member, income=Decimal("4200"))


def test_one_payment_per_member_and_month(cast, member):
    member.dues_monthly = Decimal("15.00")
    member.save()
    payment = dues.record_dues_payment(actor=cast.worker, member=member, year=2025, month=3)
    assert payment.amount == Decimal("15.00")
    with pytest.raises(ValidationError) as info:
        dues.record_dues_payment(actor=cast.worker, member=member, year=2025, month=3, amount=Decimal("20"))
    assert info.value.message_dict == {"month": ["2025年3月的党费已登记。"]}
    with pytest.raises(ValidationError) as info:
        dues.record_dues_payment(actor=cast.worker, member=member, year=2025, month=13)
    assert "month" in info.value.message_dict
    assert DuesPayment.objects.count() == 1


def test_arrears_since_january_or_joining(cast, make_member, branch_a2):
    today = date(2026, 5, 15)
    long_ago = make_member("老党员")
    new = make_member("新党员", joined_probationary_on=date(2026, 4, 10), joined_full_on=None)
    future = make_member("下月入党", joined_probationary_on=date(2026, 6, 1), joined_full_on=None)
    paid_up = make_member("已缴清", branch=branch_a2)
    for month in (1, 3):
        DuesPayment.objects.create(member=long_ago, year=2026, month=month, amount=1, recorded_by=cast.worker)
    DuesPayment.objects.create(member=long_ago, year=2025, month=12, amount=1, recorded_by=cast.worker)
    DuesPayment.objects.create(
        member=new, year=2026, month=3, amount=1, recorded_by=cast.worker
    )  # before joining
    for month in range(1, 6):
        DuesPayment.objects.create(member=paid_up, year=2026, month=month, amount=1, recorded_by=cast.worker)

    rows = {m.name: m.arrears_months for m in selectors.with_arrears(Member.objects.all(), today)}
    assert rows == {"老党员": 3, "新党员": 2, "下月入党": 0, "已缴清": 0}
    listed = [(m.name, m.arrears_months) for m in selectors.arrears_list(cast.secretary, today=today)]
    assert listed == [("老党员", 3), ("新党员", 2)]
    per_branch = list(selectors.arrears_by_branch(cast.secretary, today=today))
    assert [(r["branch__name"], r["members"], r["months"]) for r in per_branch] == [
        ("桥楼社区第一党支部", 2, 5)
    ]
    assert list(selectors.arrears_list(cast.street_b, today=today)) == []
    assert future.pk


def test_dues_pages(client_for, cast, member, make_member, branch_b):
    client = client_for(cast.secretary)
    response = client.post(f"/members/{member.pk}/dues/amount/", {"income": "6000"})
    assert response.status_code == 302
    assert Member.objects.get(pk=member.pk).dues_monthly == Decimal("90.00")
    response = client.post(f"/members/{member.pk}/dues/amount/", {})
    assert "请填写月收入，或选择固定金额的类别。" in response.content.decode()
    today = timezone.localdate()
    data = {"year": today.year, "month": today.month, "amount": "", "paid_on": today.isoformat()}
    assert client.post(f"/members/{member.pk}/dues/payments/new/", data).status_code == 302
    response = client.post(f"/members/{member.pk}/dues/payments/new/", data)
    assert response.status_code == 200 and "的党费已登记" in response.content.decode()
    assert DuesPayment.objects.get().amount == Decimal("90.00")
    for path in (f"/members/{member.pk}/dues/amount/", f"/members/{member.pk}/dues/payments/new/"):
        assert client_for(cast.street_b).get(path).status_code == 404
        assert client_for(cast.auditor).get(path).status_code == 403
    assert client.get("/members/dues/brackets/").status_code == 200
    other = make_member("外支部", branch=branch_b)
    assert client.get(f"/members/dues/?branch={other.branch_id}").status_code == 404


@pytest.mark.parametrize("rows", [3, 30])
def test_dues_page_query_count_does_not_grow(
    client_for, cast, make_member, rows, django_assert_max_num_queries
):
    for i in range(rows):
        make_member(f"党员{i}")
    client = client_for(cast.street_a)
    # session, user, grants, secretary orgs, branches count + page, members count + page, unread badge: 9
    with django_assert_max_num_queries(9):
        response = client.get("/members/dues/")
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == rows
