"""`/api/agency-reviews/`: the street Party committee's reviews of stationed agencies' heads; POST through
`services.people.review_agency_head` as the page."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from rest_framework import mixins, serializers, status, viewsets

from grassroots.api.fields import ScopedPrimaryKeyRelatedField
from grassroots.api.filters import SubtreeFilter
from grassroots.api.scoping import ScopedViewSetMixin
from grassroots.core.assessments.api._common import VIEW
from grassroots.core.assessments.models import AgencyHeadReview, StationedAgency
from grassroots.core.assessments.selectors import people as people_selectors
from grassroots.core.assessments.services import people as people_services


class AgencyReviewSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    street = serializers.IntegerField(source="agency.street_id", read_only=True)
    head_name = serializers.CharField(source="head.display_name", read_only=True)

    class Meta:
        model = AgencyHeadReview
        fields = [
            "id",
            "agency",
            "agency_name",
            "street",
            "head",
            "head_name",
            "year",
            "score",
            "grade",
            "comments",
            "reviewed_by",
            "reviewed_at",
        ]
        read_only_fields = fields


class AgencyReviewInput(serializers.Serializer):
    agency = ScopedPrimaryKeyRelatedField(
        queryset=StationedAgency.objects.select_related("street"),
        permission=VIEW,
        help_text=_("派驻机构的 id"),
    )
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    score = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=0, max_value=100)
    comments = serializers.CharField(max_length=5000)


class AgencyReviewFilter(filters.FilterSet):
    area = SubtreeFilter(path_field="agency__street__path", label=_("所在街道（含上级区域筛选）"))

    class Meta:
        model = AgencyHeadReview
        fields = ["year", "agency", "head"]


class AgencyReviewViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The street Party committee's reviews of stationed agencies' heads. POST reviews the agency's
    current head for a year (assessments.review_agency on the street, else 403; again: the review is
    changed)."""

    view_permission = VIEW
    queryset = AgencyHeadReview.objects.select_related("agency", "head").order_by("-year", "agency__name")
    serializer_class = AgencyReviewSerializer
    filterset_class = AgencyReviewFilter

    def scope_queryset(self, queryset):
        return queryset & people_selectors.visible_reviews(self.request.user)

    def get_serializer_class(self):
        return AgencyReviewInput if self.action == "create" else AgencyReviewSerializer

    def create(self, request, *args, **kwargs):
        review = people_services.review_agency_head(actor=request.user, **self.input_of(AgencyReviewInput))
        return self.answer(review, status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("agency-reviews", AgencyReviewViewSet, basename="agency-review")
